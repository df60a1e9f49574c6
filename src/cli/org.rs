//! `accord org add|list|rename|retire`: the tree of associations and
//! committees (issue 15), checked by the same rules as the organisations
//! page and recorded in the audit log by no user ("system").

use clap::{Subcommand, ValueEnum};

use super::anyhow_like::Result;
use crate::config::Config;
use crate::domain::fields::Problem;
use crate::domain::org::{ORG_NAME_MAX, OrgErrors, OrgInput, OrgProblem, check_name};
use crate::store::orgs::{self, OrgError};

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum Kind {
    Association,
    Committee,
}

#[derive(Debug, Subcommand)]
pub enum OrgCommand {
    /// Add an association or a committee under an association.
    Add {
        #[arg(long, value_enum)]
        kind: Kind,
        /// The parent association's id (see `accord org list`).
        #[arg(long, value_name = "ID")]
        parent: i64,
        #[arg(long)]
        name: String,
        /// The GB/T 2260 region code, e.g. 110105.
        #[arg(long, value_name = "CODE")]
        region: String,
        /// An association's level: national, provincial or city.
        #[arg(long, default_value = "city")]
        level: String,
        /// A committee's case-number prefix, e.g. 朝调 (its own, required).
        #[arg(long)]
        prefix: Option<String>,
    },
    /// Every organisation, one a line, indented under its parent.
    List,
    /// Rename an organisation.
    Rename { id: i64, name: String },
    /// Retire an organisation: it takes no new users or cases.
    Retire { id: i64 },
}

/// A problem in words, naming the option it is about.
fn words(problem: OrgProblem) -> String {
    match problem {
        OrgProblem::Text(Problem::Required) => "required".into(),
        OrgProblem::Text(Problem::TooLong) => format!("at most {ORG_NAME_MAX} characters"),
        OrgProblem::Text(_) => "one line without control characters".into(),
        OrgProblem::UnknownChoice => "not one of the choices".into(),
        OrgProblem::BadRegion => "a region code is six digits (GB/T 2260), e.g. 110105".into(),
        OrgProblem::BadPrefix => "a prefix is 1 to 10 characters, without spaces, brackets or digits".into(),
        OrgProblem::NeedPrefix => "a committee needs a case-number prefix of its own".into(),
        OrgProblem::PrefixTaken => "another committee (or the configured case_prefix) numbers with it".into(),
        OrgProblem::UnknownParent => "no such organisation (see `accord org list`)".into(),
        OrgProblem::ParentNotAssociation => "the parent must be an association".into(),
        OrgProblem::Retired => "that organisation is retired".into(),
        OrgProblem::NameTaken => "another organisation under the same parent has this name".into(),
        OrgProblem::RootStays => "the top association cannot be retired".into(),
        OrgProblem::ActiveChildren => "organisations under it are still in use: retire them first".into(),
        OrgProblem::WrongKindForRole => "a supervisor belongs to an association, everyone else to a committee".into(),
    }
}

fn refused(errors: &OrgErrors) -> super::anyhow_like::Error {
    let lines: Vec<String> = errors
        .0
        .iter()
        .map(|(field, p)| format!("--{field}: {}", words(*p)))
        .collect();
    lines.join("\n").into()
}

fn failed(e: OrgError) -> super::anyhow_like::Error {
    match e {
        OrgError::Invalid(errors) => refused(&errors),
        OrgError::NotFound => "no such organisation (see `accord org list`)".into(),
        OrgError::Db(e) => e.into(),
    }
}

pub async fn run(config: Config, cmd: OrgCommand) -> Result {
    let db = super::open_database(&config).await?;
    match cmd {
        OrgCommand::Add {
            kind,
            parent,
            name,
            region,
            level,
            prefix,
        } => {
            let input = OrgInput {
                kind: match kind {
                    Kind::Association => "association",
                    Kind::Committee => "committee",
                }
                .into(),
                parent: parent.to_string(),
                level,
                name,
                region,
                prefix: prefix.unwrap_or_default(),
            };
            let new = input.check(&config.case_prefix).map_err(|e| refused(&e))?;
            let id = orgs::add(&db, None, None, &new).await.map_err(failed)?;
            println!("Added {} {id}: {}", new.kind.kind().code(), new.name);
        }
        OrgCommand::List => {
            for o in orgs::list(&db).await? {
                let level = o.level.map(|l| l.code()).unwrap_or("-");
                let prefix = match (&o.case_prefix, o.is_committee() && !o.remote) {
                    (Some(p), _) => p.as_str(),
                    (None, true) => config.case_prefix.as_str(),
                    (None, false) => "-",
                };
                println!(
                    "{}{}\t{}\t{level}\t{}\t{prefix}\t{}{}{}",
                    "  ".repeat(o.depth()),
                    o.id,
                    o.kind.code(),
                    o.region_code.as_deref().unwrap_or("-"),
                    o.name,
                    if o.remote {
                        "\t(reported by statistics packets)"
                    } else {
                        ""
                    },
                    if o.retired { "\t(retired)" } else { "" },
                );
            }
        }
        OrgCommand::Rename { id, name } => {
            let mut errors = OrgErrors::default();
            let name = check_name(&mut errors, "name", &name);
            if !errors.is_empty() {
                return Err(refused(&errors));
            }
            orgs::update(&db, None, None, id, &name, None).await.map_err(failed)?;
            println!("Renamed {id}: {name}");
        }
        OrgCommand::Retire { id } => {
            orgs::retire(&db, None, None, id).await.map_err(failed)?;
            println!("Retired {id}");
        }
    }
    db.close().await;
    Ok(())
}

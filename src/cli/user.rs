//! `accord user add|passwd|unlock|role|disable|enable`. Each change is in the audit log, made
//! by no user (the command line acts as "system").

use std::io::Read;

use clap::Subcommand;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::domain::Role;
use crate::domain::fields::check_text;
use crate::domain::org::{OrgProblem, fits_role, user_place_problem};
use crate::domain::signin;
use crate::password;
use crate::store::{login_attempts, mediators, users};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password-stdin a random password is printed.
    Add {
        name: String,
        #[arg(long, value_parser = ["admin", "secretary", "mediator", "supervisor"])]
        role: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Link a mediator account to this mediator record (default: a new
        /// mediator record, named by --mediator-name).
        #[arg(long, value_name = "ID")]
        mediator_id: Option<i64>,
        /// The person's real name for a new mediator record (default: the
        /// user name), e.g. --mediator-name 林杰 for the user linjie.
        #[arg(long, value_name = "NAME", conflicts_with = "mediator_id")]
        mediator_name: Option<String>,
        /// The organisation the user works in: a committee's id, or an
        /// association's for a supervisor (see `accord org list`).
        #[arg(long, value_name = "ID", default_value_t = crate::store::orgs::FIRST_COMMITTEE)]
        org: i64,
    },
    /// Set a user's password. Without --password-stdin a random one is printed.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
    /// Lift every sign-in throttle on a username (from every address).
    Unlock { name: String },
    /// Change a user's role (a mediator account keeps its mediator record).
    Role {
        name: String,
        #[arg(value_parser = ["admin", "secretary", "mediator", "supervisor"])]
        role: String,
    },
    /// Stop a user from signing in; their open sessions end.
    Disable { name: String },
    /// Let a disabled user sign in again.
    Enable { name: String },
}

/// Sets role and active flag through the same store function as the users
/// page, so the change is checked (never the last admin) and audited.
async fn change(pool: &crate::store::Db, name: &str, role: Option<Role>, active: Option<bool>) -> Result {
    let (user, _) = users::by_username(pool, name)
        .await?
        .ok_or(format!("no user named {name}"))?;
    let role = role.unwrap_or(user.role());
    if role == Role::Mediator && user.mediator_id.is_none() {
        return Err("a mediator account needs a mediator record: set it on the users page".into());
    }
    let active = active.unwrap_or(user.active);
    if let Some(org) = crate::store::orgs::get(pool, user.org_id).await?
        && !fits_role(role, org.kind)
    {
        return Err(format!(
            "a {} belongs to {}: move the user on the users page",
            role.code(),
            place(role)
        )
        .into());
    }
    let account = users::Account {
        role,
        org_id: user.org_id,
        mediator_id: user.mediator_id,
        active,
    };
    match users::change(pool, None, None, user.id, account).await {
        Ok(()) => {
            println!(
                "{name}: {}, {}",
                role.code(),
                if active { "active" } else { "disabled" }
            );
            Ok(())
        }
        Err(users::UserChangeError::NotFound) => Err(format!("no user named {name}").into()),
        Err(e) => Err(e.into()),
    }
}

/// Where a user of `role` works, in words.
fn place(role: Role) -> &'static str {
    if role == Role::Supervisor {
        "an association"
    } else {
        "a committee"
    }
}

fn read_password(from_stdin: bool) -> Result<(String, bool)> {
    if !from_stdin {
        return Ok((password::generate(), true));
    }
    let mut text = String::new();
    std::io::stdin().read_to_string(&mut text)?;
    let pw = text.trim_end_matches(['\r', '\n']).to_string();
    if pw.chars().count() < password::MIN_LEN {
        return Err(format!("the password must have at least {} characters", password::MIN_LEN).into());
    }
    Ok((pw, false))
}

pub async fn run(config: Config, cmd: UserCommand) -> Result {
    let pool = super::open_database(&config).await?;
    match cmd {
        UserCommand::Add {
            name,
            role,
            password_stdin,
            mediator_id,
            mediator_name,
            org,
        } => {
            let place_of = crate::store::orgs::get(&pool, org)
                .await?
                .ok_or(format!("no organisation has id {org} (see `accord org list`)"))?;
            let role = Role::from_code(&role).ok_or("unknown role")?;
            if place_of.remote {
                return Err(
                    format!("organisation {org} is reported from another installation: it has no users here").into(),
                );
            }
            match user_place_problem(role, place_of.kind, place_of.retired) {
                Some(OrgProblem::Retired) => {
                    return Err(format!("organisation {org} is retired: it takes no new users").into());
                }
                Some(_) => {
                    return Err(
                        format!("--org: a {} belongs to {}; {org} is not one", role.code(), place(role)).into(),
                    );
                }
                None => {}
            }
            let (name, problem) = check_text(&name, 64, true);
            if problem.is_some() {
                return Err("the user name must have 1 to 64 characters and no control characters".into());
            }
            if users::by_username(&pool, &name).await?.is_some() {
                return Err(format!("a user named {name} already exists").into());
            }
            let (pw, generated) = read_password(password_stdin)?;
            let mediator = match (role, mediator_id) {
                (Role::Mediator, Some(id)) => {
                    mediators::get(&pool, Some(org), id)
                        .await?
                        .ok_or(format!("no mediator with id {id}"))?;
                    Some(id)
                }
                (Role::Mediator, None) => {
                    let real = mediator_name.as_deref().map(str::trim).unwrap_or(&name);
                    if real.is_empty() || real.chars().count() > 64 {
                        return Err("the mediator name must have 1 to 64 characters".into());
                    }
                    Some(mediators::insert(&pool, org, real, "", true).await?)
                }
                (_, Some(_)) => return Err("--mediator-id is only for mediators".into()),
                _ => None,
            };
            let hash = password::hash_async(pw.clone()).await;
            let account = users::NewAccount {
                username: &name,
                password_hash: &hash,
                role,
                org_id: org,
                link: mediator.into(),
            };
            users::create(&pool, None, None, account).await?;
            println!("Created {} {name}", role.code());
            if generated {
                println!("Password: {pw}");
            }
        }
        UserCommand::Passwd { name, password_stdin } => {
            let (user, _) = users::by_username(&pool, &name)
                .await?
                .ok_or(format!("no user named {name}"))?;
            let (pw, generated) = read_password(password_stdin)?;
            let hash = password::hash_async(pw.clone()).await;
            users::reset_password(&pool, None, None, user.id, &hash).await?;
            println!("Password changed for {name}");
            if generated {
                println!("Password: {pw}");
            }
        }
        UserCommand::Unlock { name } => {
            let name = signin::username(&name);
            let cleared = login_attempts::clear(&pool, None, Some(&name), None).await?;
            println!("Cleared {cleared} failed sign-ins of {name}");
        }
        UserCommand::Role { name, role } => {
            let role = Role::from_code(&role).ok_or("unknown role")?;
            change(&pool, &name, Some(role), None).await?;
        }
        UserCommand::Disable { name } => change(&pool, &name, None, Some(false)).await?,
        UserCommand::Enable { name } => change(&pool, &name, None, Some(true)).await?,
    }
    pool.close().await;
    Ok(())
}

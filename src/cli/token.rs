//! `accord token issue|list|revoke`: the API's tokens (issue 16), issued
//! and revoked by no user (the command line acts as "system"), in the
//! audit trail like the users page's.

use clap::Subcommand;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::domain::token::{DAYS_MAX, IssueForm};
use crate::store::{tokens, users};

#[derive(Debug, Subcommand)]
pub enum TokenCommand {
    /// Issue a token to a user; the token is printed once, alone on the last line.
    Issue {
        /// The user the token acts as (their role, committee and cases).
        user: String,
        /// `read`, `write` to change cases too, or `rollup` for a child
        /// installation that sends statistics packets (POST /api/v1/rollup) and nothing else.
        #[arg(long, value_parser = ["read", "write", "rollup"])]
        scope: String,
        /// Days until it expires (default: never).
        #[arg(long, value_name = "N")]
        days: Option<u32>,
        /// What it is for, e.g. "court referrals".
        #[arg(long, value_name = "L", default_value = "")]
        label: String,
    },
    /// List the tokens (of one user when named).
    List { user: Option<String> },
    /// Revoke a token by its id (see `accord token list`).
    Revoke { id: i64 },
}

pub async fn run(config: Config, cmd: TokenCommand) -> Result {
    let pool = super::open_database(&config).await?;
    match cmd {
        TokenCommand::Issue {
            user,
            scope,
            days,
            label,
        } => {
            let (found, _) = users::by_username(&pool, &user)
                .await?
                .ok_or(format!("no user named {user}"))?;
            if !found.active {
                return Err(format!("{user} is disabled: enable the account first").into());
            }
            let form = IssueForm {
                scope,
                days: days.map(|d| d.to_string()).unwrap_or_default(),
                label,
            };
            let request = form.validate().map_err(|errors| {
                let fields: Vec<&str> = errors.0.iter().map(|e| e.field.as_str()).collect();
                format!(
                    "cannot issue: check {} (days from 1 to {DAYS_MAX}, a label of at most 100 characters)",
                    fields.join(", ")
                )
            })?;
            let (id, secret) = tokens::issue(&pool, None, None, found.id, &request).await?;
            let expiry = match request.days {
                Some(d) => format!("expires in {d} days"),
                None => "never expires".to_string(),
            };
            println!(
                "Token {id} for {} ({}, {expiry}). It is shown only now:",
                found.username,
                request.scope.code()
            );
            println!("{secret}");
        }
        TokenCommand::List { user } => {
            let user_id = match &user {
                Some(name) => Some(
                    users::by_username(&pool, name)
                        .await?
                        .ok_or(format!("no user named {name}"))?
                        .0
                        .id,
                ),
                None => None,
            };
            println!("id\tuser\tscope\tlabel\tcreated\texpires\tlast used\trevoked");
            for t in tokens::list(&pool, user_id).await? {
                let or_dash = |v: &Option<String>| v.clone().unwrap_or_else(|| "-".into());
                println!(
                    "{}\t{}\t{}\t{}\t{}\t{}\t{}\t{}",
                    t.id,
                    t.username,
                    t.scope.code(),
                    t.label,
                    t.created_at,
                    or_dash(&t.expires_at),
                    or_dash(&t.last_used_at),
                    or_dash(&t.revoked_at)
                );
            }
        }
        TokenCommand::Revoke { id } => {
            if !tokens::revoke(&pool, None, None, id).await? {
                return Err(format!("no token {id} that is not revoked already").into());
            }
            println!("Token {id} revoked");
        }
    }
    pool.close().await;
    Ok(())
}

//! `accord user add|passwd`.

use std::io::Read;

use clap::Subcommand;

use super::anyhow_like::Result;
use crate::config::Config;
use crate::domain::Role;
use crate::domain::fields::check_text;
use crate::password;
use crate::store::{self, mediators, users};

#[derive(Debug, Subcommand)]
pub enum UserCommand {
    /// Create a user. Without --password-stdin a random password is printed.
    Add {
        name: String,
        #[arg(long, value_parser = ["admin", "secretary", "mediator"])]
        role: String,
        /// Read the password from standard input.
        #[arg(long)]
        password_stdin: bool,
        /// Link a mediator account to this mediator record (default: a new
        /// mediator of the same name).
        #[arg(long, value_name = "ID")]
        mediator_id: Option<i64>,
    },
    /// Set a user's password. Without --password-stdin a random one is printed.
    Passwd {
        name: String,
        #[arg(long)]
        password_stdin: bool,
    },
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
    let pool = store::open_with(&config.database, config.durability).await?;
    match cmd {
        UserCommand::Add {
            name,
            role,
            password_stdin,
            mediator_id,
        } => {
            let role = Role::from_code(&role).ok_or("unknown role")?;
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
                    mediators::get(&pool, id)
                        .await?
                        .ok_or(format!("no mediator with id {id}"))?;
                    Some(id)
                }
                (Role::Mediator, None) => Some(mediators::insert(&pool, &name, "", true).await?),
                (_, Some(_)) => return Err("--mediator-id is only for mediators".into()),
                _ => None,
            };
            users::insert(&pool, &name, &password::hash_async(pw.clone()).await, role, mediator).await?;
            println!("Created {} {name}", role.code());
            if generated {
                println!("Password: {pw}");
            }
        }
        UserCommand::Passwd { name, password_stdin } => {
            let (pw, generated) = read_password(password_stdin)?;
            if !users::set_password(&pool, &name, &password::hash_async(pw.clone()).await).await? {
                return Err(format!("no user named {name}").into());
            }
            println!("Password changed for {name}");
            if generated {
                println!("Password: {pw}");
            }
        }
    }
    pool.close().await;
    Ok(())
}

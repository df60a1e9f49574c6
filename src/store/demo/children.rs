//! What hangs on a batch of demo cases (parties, mediators, sessions,
//! visits), written the way each backend takes many rows fastest.

use sqlx::{QueryBuilder, Sqlite};

use super::{DemoCase, DemoSession, DemoVisit};

/// What hangs on the cases of a batch, in multi-row INSERTs.
pub(super) async fn sqlite(c: &mut sqlx::SqliteConnection, batch: &[DemoCase]) -> Result<(), sqlx::Error> {
    let parties: Vec<_> = batch
        .iter()
        .flat_map(|c| c.parties.iter().enumerate().map(move |(i, p)| (c.id, i as i64, p)))
        .collect();
    for chunk in parties.chunks(4000) {
        let mut qb =
            QueryBuilder::<Sqlite>::new("INSERT INTO parties (case_id, position, role, party_type, name, phone) ");
        qb.push_values(chunk, |mut b, (case_id, pos, (role, kind, name, phone))| {
            b.push_bind(*case_id)
                .push_bind(*pos)
                .push_bind(*role)
                .push_bind(*kind)
                .push_bind(name.as_str())
                .push_bind(phone.as_str());
        });
        qb.build().execute(&mut *c).await?;
    }
    let assigned: Vec<(i64, i64)> = batch
        .iter()
        .flat_map(|c| c.mediators.iter().map(move |m| (c.id, *m)))
        .collect();
    for chunk in assigned.chunks(10_000) {
        let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO case_mediators (case_id, mediator_id) ");
        qb.push_values(chunk, |mut b, (case_id, m)| {
            b.push_bind(*case_id).push_bind(*m);
        });
        qb.build().execute(&mut *c).await?;
    }
    let sessions: Vec<(i64, &DemoSession)> = batch
        .iter()
        .flat_map(|c| c.sessions.iter().map(move |s| (c.id, s)))
        .collect();
    for chunk in sessions.chunks(5000) {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "INSERT INTO mediation_sessions (id, case_id, held_on, form, notes, created_at) ",
        );
        qb.push_values(chunk, |mut b, (case_id, s)| {
            b.push_bind(s.id)
                .push_bind(*case_id)
                .push_bind(s.held_on.as_str())
                .push_bind(s.form)
                .push_bind(s.notes.as_str())
                .push_bind(format!("{}T08:00:00Z", s.held_on));
        });
        qb.build().execute(&mut *c).await?;
    }
    let present: Vec<(i64, i64)> = batch
        .iter()
        .flat_map(|c| {
            c.sessions
                .iter()
                .flat_map(move |s| c.mediators.iter().map(move |m| (s.id, *m)))
        })
        .collect();
    for chunk in present.chunks(10_000) {
        let mut qb = QueryBuilder::<Sqlite>::new("INSERT INTO session_mediators (session_id, mediator_id) ");
        qb.push_values(chunk, |mut b, (s, m)| {
            b.push_bind(*s).push_bind(*m);
        });
        qb.build().execute(&mut *c).await?;
    }
    let visits: Vec<(i64, &DemoVisit)> = batch
        .iter()
        .flat_map(|c| c.visits.iter().map(move |v| (c.id, v)))
        .collect();
    for chunk in visits.chunks(5000) {
        let mut qb = QueryBuilder::<Sqlite>::new(
            "INSERT INTO return_visits (case_id, visited_on, visitor, performance, satisfaction, created_at) ",
        );
        qb.push_values(chunk, |mut b, (case_id, v)| {
            b.push_bind(*case_id)
                .push_bind(v.visited_on.as_str())
                .push_bind(v.visitor.as_str())
                .push_bind(v.performance)
                .push_bind(v.satisfaction)
                .push_bind(format!("{}T08:00:00Z", v.visited_on));
        });
        qb.build().execute(&mut *c).await?;
    }
    Ok(())
}

/// What hangs on the cases of a batch, one statement per table over bound
/// arrays (`UNNEST`): fixed text, however many rows.
pub(super) async fn postgres(c: &mut sqlx::PgConnection, batch: &[DemoCase]) -> Result<(), sqlx::Error> {
    let mut parties = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut assigned = (Vec::new(), Vec::new());
    let mut sessions = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut present = (Vec::new(), Vec::new());
    let mut visits = (Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new(), Vec::new());
    for case in batch {
        for (i, (role, kind, name, phone)) in case.parties.iter().enumerate() {
            parties.0.push(case.id);
            parties.1.push(i as i64);
            parties.2.push(role.code());
            parties.3.push(*kind);
            parties.4.push(name.as_str());
            parties.5.push(phone.as_str());
        }
        for &m in &case.mediators {
            assigned.0.push(case.id);
            assigned.1.push(m);
        }
        for s in &case.sessions {
            sessions.0.push(s.id);
            sessions.1.push(case.id);
            sessions.2.push(s.held_on.as_str());
            sessions.3.push(s.form.code());
            sessions.4.push(s.notes.as_str());
            sessions.5.push(format!("{}T08:00:00Z", s.held_on));
            for &m in &case.mediators {
                present.0.push(s.id);
                present.1.push(m);
            }
        }
        for v in &case.visits {
            visits.0.push(case.id);
            visits.1.push(v.visited_on.as_str());
            visits.2.push(v.visitor.as_str());
            visits.3.push(v.performance.code());
            visits.4.push(v.satisfaction.code());
            visits.5.push(format!("{}T08:00:00Z", v.visited_on));
        }
    }
    sqlx::query(
        "INSERT INTO parties (case_id, position, role, party_type, name, phone)
         SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]), CAST($3 AS TEXT[]),
                              CAST($4 AS TEXT[]), CAST($5 AS TEXT[]), CAST($6 AS TEXT[]))",
    )
    .bind(&parties.0)
    .bind(&parties.1)
    .bind(&parties.2)
    .bind(&parties.3)
    .bind(&parties.4)
    .bind(&parties.5)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO case_mediators (case_id, mediator_id)
         SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]))",
    )
    .bind(&assigned.0)
    .bind(&assigned.1)
    .execute(&mut *c)
    .await?;
    // The generator writes days as `YYYY-MM-DD`, which the casts read.
    sqlx::query(
        "INSERT INTO mediation_sessions (id, case_id, held_on, form, notes, created_at)
         SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]), CAST($3 AS DATE[]),
                              CAST($4 AS TEXT[]), CAST($5 AS TEXT[]), CAST($6 AS TEXT[]))",
    )
    .bind(&sessions.0)
    .bind(&sessions.1)
    .bind(&sessions.2)
    .bind(&sessions.3)
    .bind(&sessions.4)
    .bind(&sessions.5)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO session_mediators (session_id, mediator_id)
         SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS BIGINT[]))",
    )
    .bind(&present.0)
    .bind(&present.1)
    .execute(&mut *c)
    .await?;
    sqlx::query(
        "INSERT INTO return_visits (case_id, visited_on, visitor, performance, satisfaction, created_at)
         SELECT * FROM UNNEST(CAST($1 AS BIGINT[]), CAST($2 AS DATE[]), CAST($3 AS TEXT[]),
                              CAST($4 AS TEXT[]), CAST($5 AS TEXT[]), CAST($6 AS TEXT[]))",
    )
    .bind(&visits.0)
    .bind(&visits.1)
    .bind(&visits.2)
    .bind(&visits.3)
    .bind(&visits.4)
    .bind(&visits.5)
    .execute(&mut *c)
    .await?;
    Ok(())
}

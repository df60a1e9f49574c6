//! What hangs on a batch of demo cases (parties, mediators, sessions,
//! visits), written the way each backend takes many rows fastest.

use crate::store::sql::{Arg, Sql, values};

use super::{DemoCase, DemoSession, DemoVisit};

/// What hangs on the cases of a batch, as multi-row INSERTs to run in
/// order (made on the drawing thread, while the batch before is written).
pub(super) fn sqlite(batch: &[DemoCase]) -> Vec<Sql> {
    let mut out = Vec::new();
    let mut parties = batch
        .iter()
        .flat_map(|c| c.parties.iter().enumerate().map(move |(i, p)| (c.id, i as i64, p)));
    let head = "INSERT INTO parties (case_id, position, role, party_type, name, phone) VALUES ";
    while let Some(q) = values(
        head,
        "",
        4000,
        &mut parties,
        |q, (case_id, pos, (role, kind, name, phone))| {
            q.push_list([
                Arg::from(case_id),
                pos.into(),
                role.code().into(),
                (*kind).into(),
                name.into(),
                phone.into(),
            ]);
        },
    ) {
        out.push(q);
    }
    let mut assigned = batch.iter().flat_map(|c| c.mediators.iter().map(move |m| (c.id, *m)));
    let head = "INSERT INTO case_mediators (case_id, mediator_id) VALUES ";
    while let Some(q) = values(head, "", 10_000, &mut assigned, |q, (case_id, m)| {
        q.push_list([case_id, m]);
    }) {
        out.push(q);
    }
    let mut sessions = batch.iter().flat_map(|c| c.sessions.iter().map(move |s| (c.id, s)));
    let head = "INSERT INTO mediation_sessions (id, case_id, held_on, form, notes, created_at) VALUES ";
    while let Some(q) = values(head, "", 5000, &mut sessions, |q, (case_id, s): (i64, &DemoSession)| {
        let created = format!("{}T08:00:00Z", s.held_on);
        q.push_list([
            Arg::from(s.id),
            case_id.into(),
            (&s.held_on).into(),
            s.form.code().into(),
        ]);
        q.push(", ").push_list([Arg::from(&s.notes), created.into()]);
    }) {
        out.push(q);
    }
    let mut present = batch.iter().flat_map(|c| {
        c.sessions
            .iter()
            .flat_map(move |s| c.mediators.iter().map(move |m| (s.id, *m)))
    });
    let head = "INSERT INTO session_mediators (session_id, mediator_id) VALUES ";
    while let Some(q) = values(head, "", 10_000, &mut present, |q, (s, m)| {
        q.push_list([s, m]);
    }) {
        out.push(q);
    }
    let mut visits = batch.iter().flat_map(|c| c.visits.iter().map(move |v| (c.id, v)));
    let head =
        "INSERT INTO return_visits (case_id, visited_on, visitor, performance, satisfaction, created_at) VALUES ";
    while let Some(q) = values(head, "", 5000, &mut visits, |q, (case_id, v): (i64, &DemoVisit)| {
        let created = format!("{}T08:00:00Z", v.visited_on);
        q.push_list([Arg::from(case_id), (&v.visited_on).into(), (&v.visitor).into()]);
        q.push(", ")
            .push_list([v.performance.code(), v.satisfaction.code()])
            .push(", ")
            .push_bind(created);
    }) {
        out.push(q);
    }
    out
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

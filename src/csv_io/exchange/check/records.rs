//! The records of a case besides its fields: parties, sessions, visits
//! and the attachment manifest.

use super::{FieldProblem, Problem, Problems, is_sha256, names};
use crate::csv_io::exchange::document::{DocAttachment, DocParty, DocSession, DocVisit};
use crate::domain::attachment::{AttachmentKind, FileType};
use crate::domain::case::{PartyDetails, PartyInput};
use crate::domain::reference::RefLists;
use crate::domain::workflow::{Fulfilment, Satisfaction, SessionMode};
use crate::domain::{IdNumber, PartyRole, Phone, RefList};
use crate::store::exchange::{ExAttachment, ExSession, ExVisit};

pub(super) fn party(p: &mut Problems<'_>, refs: &RefLists, i: usize, d: &DocParty) -> Option<PartyInput> {
    let at = |f: &str| format!("parties[{i}].{f}");
    for (f, v) in [
        ("name", &d.name),
        ("address", &d.address),
        ("representative", &d.representative),
    ] {
        p.text(&at(f), v);
    }
    let role = p.code(&at("role"), &d.role, PartyRole::from_code);
    p.reference(refs, RefList::PartyType, &at("type"), &d.party_type);
    if d.name.trim().is_empty() {
        p.add(at("name"), Problem::Field(FieldProblem::Required));
    }
    let phone = Phone::parse(&d.phone)
        .map_err(|_| p.add(at("phone"), Problem::Field(FieldProblem::BadPhone)))
        .ok();
    let id_number = IdNumber::parse(&d.id_number)
        .map_err(|_| p.add(at("id_number"), Problem::Field(FieldProblem::BadIdNumber)))
        .ok();
    Some(PartyInput {
        role: role?,
        party_type: d.party_type.clone(),
        name: d.name.trim().to_string(),
        phone: phone?,
        details: PartyDetails {
            id_number: id_number?,
            address: d.address.clone(),
            representative: d.representative.clone(),
        },
    })
}

pub(super) fn session(p: &mut Problems<'_>, i: usize, s: &DocSession) -> Option<ExSession> {
    let at = |f: &str| format!("sessions[{i}].{f}");
    p.text(&at("notes"), &s.notes);
    p.text(&at("void_reason"), s.void_reason.as_deref().unwrap_or(""));
    for (j, m) in s.mediators.iter().enumerate() {
        p.text(&at(&format!("mediators[{j}]")), m);
    }
    let held_on = p.date(&at("held_on"), &s.held_on);
    let form = p.code(&at("form"), &s.form, SessionMode::from_code);
    let voided_on = p.opt_date(&at("voided_on"), s.voided_on.as_deref());
    Some(ExSession {
        held_on: held_on?,
        form: form?,
        mediators: names(&s.mediators),
        notes: s.notes.clone(),
        voided_on,
        void_reason: s.void_reason.clone(),
    })
}

pub(super) fn visit(p: &mut Problems<'_>, i: usize, v: &DocVisit) -> Option<ExVisit> {
    let at = |f: &str| format!("visits[{i}].{f}");
    for (f, t) in [("visitor", &v.visitor), ("notes", &v.notes)] {
        p.text(&at(f), t);
    }
    p.text(&at("void_reason"), v.void_reason.as_deref().unwrap_or(""));
    let visited_on = p.date(&at("visited_on"), &v.visited_on);
    let performance = p.code(&at("performance"), &v.performance, Fulfilment::from_code);
    let satisfaction = p.code(&at("satisfaction"), &v.satisfaction, Satisfaction::from_code);
    let voided_on = p.opt_date(&at("voided_on"), v.voided_on.as_deref());
    Some(ExVisit {
        visited_on: visited_on?,
        visitor: v.visitor.clone(),
        performance: performance?,
        satisfaction: satisfaction?,
        notes: v.notes.clone(),
        voided_on,
        void_reason: v.void_reason.clone(),
    })
}

pub(super) fn attachment(p: &mut Problems<'_>, i: usize, a: &DocAttachment) -> Option<ExAttachment> {
    let at = |f: &str| format!("attachments[{i}].{f}");
    for (f, t) in [("name", &a.name), ("note", &a.note), ("uploaded_at", &a.uploaded_at)] {
        p.text(&at(f), t);
    }
    p.text(&at("voided_reason"), a.voided_reason.as_deref().unwrap_or(""));
    let kind = p.code(&at("kind"), &a.kind, AttachmentKind::from_code);
    let file_type = p.code(&at("type"), &a.file_type, FileType::from_code);
    if !is_sha256(&a.sha256) {
        p.add(at("sha256"), Problem::BadHash);
    }
    if a.name.trim().is_empty() {
        p.add(at("name"), Problem::Field(FieldProblem::Required));
    }
    if a.size <= 0 {
        p.add(at("size"), Problem::Shape(a.size.to_string()));
    }
    Some(ExAttachment {
        name: a.name.clone(),
        kind: kind?,
        file_type: file_type?,
        size: a.size,
        sha256: a.sha256.clone(),
        note: a.note.clone(),
        uploaded_at: a.uploaded_at.clone(),
        voided_at: a.voided_at.clone(),
        voided_reason: a.voided_reason.clone(),
    })
}

//! The figures of the official report and how they add up.
//!
//! Every figure is over the cases *accepted* in the period (受理, DOMAIN.md),
//! voided cases in none:
//! - 受理纠纷数 `accepted`; 调解成功数 `settled` among them; 成功率 settled ÷
//!   accepted, provisional while some are still `in_mediation`;
//! - 协议涉及金额 `amount_agreed`: their agreed amounts, exact;
//! - 涉及当事人人数 `people`: each case's `people_involved`, or its parties;
//! - 协议履行率: agreements fulfilled ÷ settled;
//! - 防止民转刑 and 防止群体性上访: cases marked (件) and their people (人).

use super::{NationalType, SourceGroup};
use crate::domain::Money;
use crate::domain::stats::Rate;

/// The figures of a group of cases.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub accepted: i64,
    pub settled: i64,
    /// Accepted and still in mediation: the rate is provisional (暂).
    pub in_mediation: i64,
    pub amount_agreed: Money,
    pub people: i64,
    /// Settled and their agreement fulfilled.
    pub fulfilled: i64,
    pub crime_cases: i64,
    pub crime_people: i64,
    pub petition_cases: i64,
    pub petition_people: i64,
}

impl Figures {
    /// 成功率.
    pub fn success_rate(&self) -> Rate {
        Rate::new(self.settled, self.accepted)
    }

    /// 协议履行率.
    pub fn fulfilment_rate(&self) -> Rate {
        Rate::new(self.fulfilled, self.settled)
    }

    fn add(&mut self, o: &Figures) {
        self.accepted += o.accepted;
        self.settled += o.settled;
        self.in_mediation += o.in_mediation;
        self.amount_agreed = Money::from_fen(self.amount_agreed.fen() + o.amount_agreed.fen());
        self.people += o.people;
        self.fulfilled += o.fulfilled;
        self.crime_cases += o.crime_cases;
        self.crime_people += o.crime_people;
        self.petition_cases += o.petition_cases;
        self.petition_people += o.petition_people;
    }
}

/// The figures of the cases of one committee, national type and source
/// group: what the store's one grouped query answers.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cell {
    pub committee_id: i64,
    pub national_type: NationalType,
    pub source_group: SourceGroup,
    pub figures: Figures,
}

/// The whole report of a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialReport {
    pub totals: Figures,
    /// Every group, in the national order, zeros included.
    pub by_source: Vec<(SourceGroup, Figures)>,
    /// Every type of the national list, in its order, zeros included.
    pub by_type: Vec<(NationalType, Figures)>,
    /// Each committee with accepted cases, by id (a supervisor's report
    /// lists every committee of theirs, zeros included, by name).
    pub by_committee: Vec<(i64, Figures)>,
}

impl OfficialReport {
    /// Adds the cells up into the totals and each breakdown.
    pub fn from_cells(cells: &[Cell]) -> OfficialReport {
        let mut totals = Figures::default();
        let mut by_source: Vec<(SourceGroup, Figures)> =
            SourceGroup::ALL.iter().map(|g| (*g, Figures::default())).collect();
        let mut by_type: Vec<(NationalType, Figures)> =
            NationalType::ALL.iter().map(|t| (*t, Figures::default())).collect();
        let mut by_committee: Vec<(i64, Figures)> = Vec::new();
        for c in cells {
            totals.add(&c.figures);
            if let Some((_, f)) = by_source.iter_mut().find(|(g, _)| *g == c.source_group) {
                f.add(&c.figures);
            }
            if let Some((_, f)) = by_type.iter_mut().find(|(t, _)| *t == c.national_type) {
                f.add(&c.figures);
            }
            match by_committee.iter_mut().find(|(id, _)| *id == c.committee_id) {
                Some((_, f)) => f.add(&c.figures),
                None => by_committee.push((c.committee_id, c.figures)),
            }
        }
        by_committee.sort_by_key(|(id, _)| *id);
        OfficialReport {
            totals,
            by_source,
            by_type,
            by_committee,
        }
    }

    /// The figures of one committee (zeros when it accepted nothing).
    pub fn committee(&self, id: i64) -> Figures {
        self.by_committee
            .iter()
            .find(|(c, _)| *c == id)
            .map(|(_, f)| *f)
            .unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_add_up_into_every_breakdown_with_every_row_printed() {
        let cell = |committee_id, national_type, source_group, accepted, settled| Cell {
            committee_id,
            national_type,
            source_group,
            figures: Figures {
                accepted,
                settled,
                amount_agreed: Money::from_fen(settled * 100),
                people: accepted * 2,
                ..Figures::default()
            },
        };
        let r = OfficialReport::from_cells(&[
            cell(3, NationalType::Property, SourceGroup::Application, 4, 3),
            cell(2, NationalType::Property, SourceGroup::Referral, 2, 1),
            cell(2, NationalType::Neighbourhood, SourceGroup::Application, 1, 0),
        ]);
        assert_eq!((r.totals.accepted, r.totals.settled, r.totals.people), (7, 4, 14));
        assert_eq!(r.totals.amount_agreed, Money::from_fen(400));
        assert_eq!(r.totals.success_rate().percent(), "57.1");
        assert_eq!(r.by_type.len(), 15);
        assert_eq!(r.by_type[13], (NationalType::Property, r.by_type[13].1));
        assert_eq!(r.by_type[13].1.accepted, 6);
        assert_eq!(r.by_type[1].1.accepted, 1);
        assert_eq!(r.by_type[0].1, Figures::default());
        assert_eq!(
            r.by_source.iter().map(|(_, f)| f.accepted).collect::<Vec<_>>(),
            [0, 5, 2]
        );
        assert_eq!(
            r.by_committee
                .iter()
                .map(|(id, f)| (*id, f.accepted))
                .collect::<Vec<_>>(),
            [(2, 3), (3, 4)]
        );
        assert_eq!(r.committee(9), Figures::default());
        assert_eq!(Figures::default().success_rate().shown(), None);
    }
}

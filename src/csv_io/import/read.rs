//! Reading a file into headed rows, numbered as a spreadsheet shows them.

use std::collections::HashMap;

use super::{ImportError, ImportProblem};
use crate::csv_io::cell::{strip_bom, unguard};
use crate::csv_io::columns::Column;

/// A file's rows under its headings.
#[derive(Debug, Default)]
pub struct Sheet {
    /// Where each known column sits in the file.
    pub index: HashMap<Column, usize>,
    /// The headings as the file writes them, for messages.
    pub headings: Vec<String>,
    pub rows: Vec<RawRow>,
    /// Problems found while reading that do not stop the rows being
    /// checked (values under no heading).
    pub problems: Vec<ImportError>,
}

/// One data row: its spreadsheet number and its cells (unguarded).
#[derive(Debug, Clone)]
pub struct RawRow {
    pub row: usize,
    pub cells: Vec<String>,
}

impl Sheet {
    /// A cell of a row, empty when the column or the cell is missing.
    pub fn cell<'a>(&self, row: &'a RawRow, column: Column) -> &'a str {
        self.index
            .get(&column)
            .and_then(|&i| row.cells.get(i))
            .map(String::as_str)
            .unwrap_or("")
    }

    /// An error at a row's cell in a known column.
    pub fn error(&self, row: usize, column: Column, problem: ImportProblem) -> ImportError {
        let at = self.index.get(&column).map(|&i| (i, self.headings[i].clone()));
        ImportError {
            row,
            column: at,
            problem,
        }
    }
}

/// Where each row starts as a spreadsheet counts rows: a line ends at
/// `\r\n`, `\n` or a lone `\r`, except inside a quoted cell, which stays
/// in one row however many lines it has. Also where a quote that is never
/// closed opens.
struct RowMap {
    /// Byte offsets (after the BOM) where rows 1, 2, 3 ... start.
    starts: Vec<usize>,
    /// The row of a quote still open at the end of the file.
    unclosed: Option<usize>,
}

impl RowMap {
    /// Reads quotes as the CSV reader does: a quote opens a quoted cell only
    /// at the start of a cell, and `""` inside one is a quote character.
    fn scan(data: &[u8]) -> RowMap {
        let mut starts = vec![0];
        let mut open: Option<usize> = None;
        let mut cell_start = true;
        let mut i = 0;
        while i < data.len() {
            let b = data[i];
            if open.is_some() {
                if b == b'"' {
                    if data.get(i + 1) == Some(&b'"') {
                        i += 1;
                    } else {
                        open = None;
                        cell_start = false;
                    }
                }
            } else {
                match b {
                    b'"' if cell_start => open = Some(starts.len()),
                    b',' => cell_start = true,
                    b'\n' => {
                        starts.push(i + 1);
                        cell_start = true;
                    }
                    b'\r' if data.get(i + 1) != Some(&b'\n') => {
                        starts.push(i + 1);
                        cell_start = true;
                    }
                    b'\r' => {}
                    _ => cell_start = false,
                }
            }
            i += 1;
        }
        RowMap { starts, unclosed: open }
    }

    /// The row of a record the reader says starts at `byte`. The reader may
    /// place a record before the line breaks (blank lines, the `\n` of a
    /// `\r\n`) that precede its first cell, so those are stepped over.
    fn row_at(&self, data: &[u8], byte: u64) -> usize {
        let mut at = usize::try_from(byte).unwrap_or(usize::MAX).min(data.len());
        while matches!(data.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        self.starts.partition_point(|&s| s <= at)
    }
}

/// Reads the file: headings from the first row, then every row that has
/// anything in it. Blank rows (also `,,,` rows Excel leaves) are skipped
/// but still counted, so numbers match what the user sees. A file that
/// cannot be read, or whose headings are wrong, is refused here; other
/// problems wait in `Sheet::problems` beside the rows' own.
pub fn read(bytes: &[u8]) -> Result<Sheet, Vec<ImportError>> {
    let data = strip_bom(bytes);
    let rows = RowMap::scan(data);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(data);
    let mut record = csv::ByteRecord::new();
    let mut errors = Vec::new();
    let mut sheet = Sheet::default();
    let mut first = true;
    loop {
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                let row = e.position().map(|p| rows.row_at(data, p.byte())).unwrap_or(1);
                errors.push(ImportError::at_row(row, ImportProblem::Malformed));
                return Err(errors);
            }
        }
        let row = record.position().map(|p| rows.row_at(data, p.byte())).unwrap_or(1);
        if rows.unclosed.is_some_and(|at| at == row) {
            // From here on the file is one cell: nothing more can be read.
            errors.push(ImportError::at_row(row, ImportProblem::UnclosedQuote));
            return Err(errors);
        }
        let mut cells = Vec::with_capacity(record.len());
        for (i, field) in record.iter().enumerate() {
            match std::str::from_utf8(field) {
                Ok(text) => cells.push(unguard(text).to_string()),
                Err(_) => {
                    errors.push(ImportError {
                        row,
                        column: Some((i, String::new())),
                        problem: ImportProblem::NotUtf8,
                    });
                    // One message says it all: the file's encoding is wrong.
                    return Err(errors);
                }
            }
        }
        if first {
            first = false;
            headings(&mut sheet, cells, row, &mut errors);
            if !errors.is_empty() {
                return Err(errors);
            }
            continue;
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        for (i, cell) in cells.iter().enumerate().skip(sheet.headings.len()) {
            if !cell.trim().is_empty() {
                sheet.problems.push(ImportError {
                    row,
                    column: Some((i, String::new())),
                    problem: ImportProblem::ExtraCell,
                });
            }
        }
        for (i, heading) in sheet.headings.iter().enumerate() {
            if heading.trim().is_empty() && cells.get(i).is_some_and(|c| !c.trim().is_empty()) {
                sheet.problems.push(ImportError {
                    row,
                    column: Some((i, String::new())),
                    problem: ImportProblem::ExtraCell,
                });
            }
        }
        sheet.rows.push(RawRow { row, cells });
    }
    if first {
        errors.push(ImportError::at_row(1, ImportProblem::Empty));
    }
    if errors.is_empty() { Ok(sheet) } else { Err(errors) }
}

fn headings(sheet: &mut Sheet, cells: Vec<String>, row: usize, errors: &mut Vec<ImportError>) {
    for (i, heading) in cells.iter().enumerate() {
        if heading.trim().is_empty() {
            // Excel's trailing empty columns; a value under one is refused.
            continue;
        }
        let at = Some((i, heading.clone()));
        match Column::from_heading(heading) {
            Some(c) if sheet.index.contains_key(&c) => errors.push(ImportError {
                row,
                column: at,
                problem: ImportProblem::DuplicateColumn,
            }),
            Some(c) => {
                sheet.index.insert(c, i);
            }
            None => errors.push(ImportError {
                row,
                column: at,
                problem: ImportProblem::UnknownColumn,
            }),
        }
    }
    for c in Column::ALL {
        if c.required() && !sheet.index.contains_key(&c) {
            errors.push(ImportError::at_row(row, ImportProblem::MissingColumn(c)));
        }
    }
    sheet.headings = cells;
}

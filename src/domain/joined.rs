//! Joining constant lists kept in several modules (the tables `accord copy`
//! moves, the routes `accord bench` times): a constant has no other way to
//! lay slices end to end.

/// How many items `parts` hold together.
pub const fn total<T>(parts: &[&[T]]) -> usize {
    let mut n = 0;
    let mut p = 0;
    while p < parts.len() {
        n += parts[p].len();
        p += 1;
    }
    n
}

/// `parts` end to end, in order; `N` is their [`total`].
pub const fn joined<T: Copy, const N: usize>(parts: &[&[T]]) -> [T; N] {
    assert!(total(parts) == N && N > 0, "N must be the parts' total");
    let mut out = [parts[0][0]; N];
    let mut n = 0;
    let mut p = 0;
    while p < parts.len() {
        let mut i = 0;
        while i < parts[p].len() {
            out[n] = parts[p][i];
            n += 1;
            i += 1;
        }
        p += 1;
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parts_are_laid_end_to_end_in_order() {
        const PARTS: &[&[u8]] = &[&[1, 2], &[], &[3]];
        const ALL: &[u8] = &joined::<u8, { total(PARTS) }>(PARTS);
        assert_eq!(ALL, &[1, 2, 3]);
    }
}

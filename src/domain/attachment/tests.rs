use super::*;

/// A minimal Office Open XML zip: the local header of `[Content_Types].xml`,
/// then one of `part`.
fn ooxml(part: &str) -> Vec<u8> {
    let mut z = b"PK\x03\x04".to_vec();
    z.extend_from_slice(&[0; 26]);
    z.extend_from_slice(b"[Content_Types].xml<Types/>");
    z.extend_from_slice(b"PK\x03\x04");
    z.extend_from_slice(&[0; 26]);
    z.extend_from_slice(part.as_bytes());
    z.extend_from_slice(b"<x/>");
    z
}

fn ole(stream: &str) -> Vec<u8> {
    let mut f = OLE.to_vec();
    f.extend_from_slice(&[0; 500]);
    for c in stream.encode_utf16() {
        f.extend_from_slice(&c.to_le_bytes());
    }
    f.extend_from_slice(&[0; 64]);
    f
}

#[test]
fn every_allowed_type_is_told_by_its_content() {
    let cases: Vec<(Vec<u8>, FileType)> = vec![
        (b"%PDF-1.7\n%\xe2\xe3\n1 0 obj".to_vec(), FileType::Pdf),
        (
            vec![0xFF, 0xD8, 0xFF, 0xE0, 0, 16, b'J', b'F', b'I', b'F'],
            FileType::Jpeg,
        ),
        ([PNG, b"\0\0\0\rIHDR"].concat(), FileType::Png),
        (b"RIFF\x24\0\0\0WEBPVP8 ".to_vec(), FileType::Webp),
        (b"\0\0\0\x18ftypheic\0\0\0\0mif1heic".to_vec(), FileType::Heic),
        (ooxml("word/document.xml"), FileType::Docx),
        (ooxml("xl/workbook.xml"), FileType::Xlsx),
        (ole("WordDocument"), FileType::Doc),
        (ole("Workbook"), FileType::Xls),
        ("调解申请书\r\n申请人:张三\t\n".as_bytes().to_vec(), FileType::Text),
    ];
    for (bytes, want) in cases {
        assert_eq!(sniff(&bytes), Ok(want), "{want:?}");
    }
}

#[test]
fn a_type_is_found_whatever_the_chunks_are() {
    let docx = ooxml("word/document.xml");
    let text = "第一行\n第二行:金额8000元\n".repeat(20).into_bytes();
    for size in [1, 2, 3, 5, 7, 16, 64] {
        for (bytes, want) in [(&docx, FileType::Docx), (&text, FileType::Text)] {
            let mut s = Sniffer::new();
            for chunk in bytes.chunks(size) {
                s.feed(chunk);
            }
            assert_eq!(s.len(), bytes.len() as u64);
            assert_eq!(s.finish(), Ok(want), "chunks of {size}");
        }
    }
}

#[test]
fn other_content_is_refused_whatever_its_name() {
    let zip_of_other = [b"PK\x03\x04".as_slice(), &[0; 26], b"readme.md"].concat();
    let refused: Vec<Vec<u8>> = vec![
        b"MZ\x90\0\x03\0\0\0".to_vec(),       // a Windows program
        b"\x7fELF\x02\x01\x01\0".to_vec(),    // a Linux program
        b"GIF89a\x01\0\x01\0".to_vec(),       // GIF is not on the list
        zip_of_other,                         // a zip that is no Office file
        ole("Something"),                     // an OLE file that is neither
        b"text with a NUL\0 inside".to_vec(), // control characters
        b"\xff\xfe\x00invalid utf8".to_vec(), // not UTF-8
        "半个字".as_bytes()[..4].to_vec(),    // UTF-8 cut short
    ];
    for bytes in refused {
        assert_eq!(sniff(&bytes), Err(Refusal::UnknownType), "{bytes:?}");
    }
    assert_eq!(sniff(b""), Err(Refusal::Empty));
}

#[test]
fn a_file_name_keeps_its_last_part_without_control_characters() {
    assert_eq!(clean_file_name("C:\\扫描\\协议书.pdf").as_deref(), Some("协议书.pdf"));
    assert_eq!(clean_file_name("../../etc/passwd").as_deref(), Some("passwd"));
    assert_eq!(clean_file_name("a\u{0}b\n.pdf").as_deref(), Some("ab.pdf"));
    assert_eq!(clean_file_name("  "), None);
    assert_eq!(clean_file_name("dir/.."), None);
    let long = format!("{}.pdf", "长".repeat(400));
    let kept = clean_file_name(&long).unwrap();
    assert_eq!(kept.chars().count(), NAME_MAX);
    assert!(kept.ends_with(".pdf"));
}

#[test]
fn a_void_needs_a_reason_and_a_note_has_limits() {
    assert_eq!(check_reason("  "), Err(Problem::Required));
    assert_eq!(check_reason(" 上传错了案件 ").as_deref(), Ok("上传错了案件"));
    assert_eq!(check_note(&"字".repeat(NOTE_MAX + 1)), Err(Problem::TooLong));
    assert_eq!(check_note("a\u{7}b"), Err(Problem::ControlChar));
    assert_eq!(check_note("").as_deref(), Ok(""));
}

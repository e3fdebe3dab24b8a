//! Writing small PDF files for the tests, as a PDF library would: text drawn with the standard
//! Helvetica font at given places on letter-size pages, an image in place of text (a scan),
//! document information, and an encryption dictionary whose password is not empty.

/// Text drawn at `(x, y)` points from the page's bottom left corner, 10 points high.
pub type Placed<'a> = (f32, f32, &'a str);

/// What a page holds.
pub enum Page<'a> {
    Text(Vec<Placed<'a>>),
    /// A grey picture and no text, as a scanner makes.
    Image,
}

#[derive(Default)]
pub struct Pdf<'a> {
    pub pages: Vec<Page<'a>>,
    /// The document information's title and author.
    pub info: Option<(&'a str, &'a str)>,
    /// Locked with a password that is not empty.
    pub encrypted: bool,
}

impl Pdf<'_> {
    pub fn bytes(&self) -> Vec<u8> {
        // Objects 1 catalog, 2 pages, 3 font, 4 image, 5 info, 6 encryption, then a page and
        // its content for each page.
        let first_page = 7;
        let mut objects: Vec<Vec<u8>> = Vec::new();
        let kids: Vec<String> = (0..self.pages.len())
            .map(|n| format!("{} 0 R", first_page + 2 * n))
            .collect();
        objects.push(b"<< /Type /Catalog /Pages 2 0 R >>".to_vec());
        objects.push(
            format!(
                "<< /Type /Pages /Kids [{}] /Count {} >>",
                kids.join(" "),
                self.pages.len()
            )
            .into_bytes(),
        );
        objects.push(
            b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .to_vec(),
        );
        objects.push(stream(
            "/Type /XObject /Subtype /Image /Width 2 /Height 2 /ColorSpace /DeviceGray \
             /BitsPerComponent 8",
            &[0x80, 0x40, 0x40, 0x80],
        ));
        let (title, author) = self.info.unwrap_or(("", ""));
        objects.push(format!("<< /Title ({title}) /Author ({author}) >>").into_bytes());
        objects.push(
            format!(
                "<< /Filter /Standard /V 1 /R 2 /Length 40 /P -44 /O <{}> /U <{}> >>",
                "4f".repeat(32),
                "55".repeat(32)
            )
            .into_bytes(),
        );
        for (n, page) in self.pages.iter().enumerate() {
            let content_id = first_page + 2 * n + 1;
            objects.push(
                format!(
                    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] \
                     /Resources << /Font << /F1 3 0 R >> /XObject << /Im1 4 0 R >> >> \
                     /Contents {content_id} 0 R >>"
                )
                .into_bytes(),
            );
            let content = match page {
                Page::Text(placed) => placed
                    .iter()
                    .map(|(x, y, text)| {
                        format!("BT /F1 10 Tf {x} {y} Td ({}) Tj ET\n", escaped(text))
                    })
                    .collect::<String>(),
                Page::Image => "q 500 0 0 700 50 50 cm /Im1 Do Q\n".to_string(),
            };
            objects.push(stream("", content.as_bytes()));
        }
        let mut pdf = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (n, object) in objects.iter().enumerate() {
            offsets.push(pdf.len());
            pdf.extend(format!("{} 0 obj\n", n + 1).bytes());
            pdf.extend(object);
            pdf.extend(b"\nendobj\n");
        }
        let xref = pdf.len();
        pdf.extend(format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).bytes());
        for offset in offsets {
            pdf.extend(format!("{offset:010} 00000 n \n").bytes());
        }
        let mut trailer = format!("<< /Size {} /Root 1 0 R", objects.len() + 1);
        if self.info.is_some() {
            trailer.push_str(" /Info 5 0 R");
        }
        if self.encrypted {
            trailer.push_str(&format!(
                " /Encrypt 6 0 R /ID [<{0}> <{0}>]",
                "ab".repeat(16)
            ));
        }
        pdf.extend(format!("trailer\n{trailer} >>\nstartxref\n{xref}\n%%EOF\n").bytes());
        pdf
    }
}

fn stream(dictionary: &str, data: &[u8]) -> Vec<u8> {
    let mut object = format!("<< {dictionary} /Length {} >>\nstream\n", data.len()).into_bytes();
    object.extend(data);
    object.extend(b"\nendstream");
    object
}

/// Text as a PDF string literal holds it.
fn escaped(text: &str) -> String {
    text.replace('\\', "\\\\")
        .replace('(', "\\(")
        .replace(')', "\\)")
}

/// Lines of text down a column starting at `x`, from the top of the page, 14 points apart.
pub fn column<'a>(x: f32, top: f32, lines: &[&'a str]) -> Vec<Placed<'a>> {
    lines
        .iter()
        .enumerate()
        .map(|(n, line)| (x, top - 14.0 * n as f32, *line))
        .collect()
}

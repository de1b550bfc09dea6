//! `SendFax`: the supported document formats and the reply.

faxkit::open_enum! {
    /// The document formats `SendFax` accepts ("Supported File Formats" in the reference), recognised by the
    /// `filename` extension.
    pub enum FileFormat {
        /// HTML document (`.html`, `.htm`, `.mhtml`, `.xhtml`).
        Html = "HTML",
        /// Adobe Acrobat (`.pdf`).
        Pdf = "PDF",
        /// MS Word (`.doc`, `.docx`).
        Word = "Word",
        /// MS Excel (`.xls`, `.xlsx`).
        Excel = "Excel",
        /// MS PowerPoint (`.ppt`, `.pptx`).
        PowerPoint = "PowerPoint",
        /// Windows Bitmap (`.bmp`).
        Bmp = "BMP",
        /// GIF (`.gif`).
        Gif = "GIF",
        /// JPEG (`.jpg`, `.jpeg`).
        Jpeg = "JPEG",
        /// PNG (`.png`).
        Png = "PNG",
        /// TIFF (`.tif`, `.tiff`).
        Tiff = "TIFF",
        /// XPS, XML Paper Specification (`.xps`).
        Xps = "XPS",
        /// Printer Command Language (`.pcl`).
        Pcl = "PCL",
        /// Rich text format (`.rtf`).
        Rtf = "RTF",
        /// Text file (`.txt`).
        Text = "Text",
        /// XML (`.xml`).
        Xml = "XML",
    }
}

impl FileFormat {
    /// Every supported format.
    pub const ALL: [FileFormat; 15] = [
        FileFormat::Html,
        FileFormat::Pdf,
        FileFormat::Word,
        FileFormat::Excel,
        FileFormat::PowerPoint,
        FileFormat::Bmp,
        FileFormat::Gif,
        FileFormat::Jpeg,
        FileFormat::Png,
        FileFormat::Tiff,
        FileFormat::Xps,
        FileFormat::Pcl,
        FileFormat::Rtf,
        FileFormat::Text,
        FileFormat::Xml,
    ];

    /// The file extensions (lower case, no dot) of this format.
    pub fn extensions(&self) -> &'static [&'static str] {
        match self {
            FileFormat::Html => &["html", "htm", "mhtml", "xhtml"],
            FileFormat::Pdf => &["pdf"],
            FileFormat::Word => &["doc", "docx"],
            FileFormat::Excel => &["xls", "xlsx"],
            FileFormat::PowerPoint => &["ppt", "pptx"],
            FileFormat::Bmp => &["bmp"],
            FileFormat::Gif => &["gif"],
            FileFormat::Jpeg => &["jpg", "jpeg"],
            FileFormat::Png => &["png"],
            FileFormat::Tiff => &["tif", "tiff"],
            FileFormat::Xps => &["xps"],
            FileFormat::Pcl => &["pcl"],
            FileFormat::Rtf => &["rtf"],
            FileFormat::Text => &["txt"],
            FileFormat::Xml => &["xml"],
            FileFormat::Other(_) => &[],
        }
    }

    /// The supported format with this file extension (case-insensitive, without the dot).
    ///
    /// ```
    /// # use faxcore::FileFormat;
    /// assert_eq!(FileFormat::from_extension("DOCX"), Some(FileFormat::Word));
    /// assert_eq!(FileFormat::from_extension("ps"), None);
    /// ```
    pub fn from_extension(ext: &str) -> Option<FileFormat> {
        let ext = ext.trim().to_ascii_lowercase();
        FileFormat::ALL.into_iter().find(|f| f.extensions().contains(&ext.as_str()))
    }

    /// Every supported extension, comma separated, for error messages.
    pub fn supported_extensions() -> String {
        FileFormat::ALL.iter().flat_map(|f| f.extensions().iter().copied()).collect::<Vec<_>>().join(", ")
    }
}

//! The `fax` command line (placeholder until the CLI issue lands).
#![deny(missing_docs)]

fn main() {
    eprintln!("fax: the command line is being built; see the README");
}

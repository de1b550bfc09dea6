//! `cargo xtask bench`: builds the `bench/` harness in release mode and runs it (see docs/performance.md).
//! `--only inbox` gets a Postgres: `FAXKIT_TEST_POSTGRES_URL` as set, or a throwaway server for the run.

use crate::postgres::TestDatabase;
use crate::util::{cargo, step};

pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let mut cmd = cargo(&["run", "--release", "-p", "faxkit-bench", "--"]);
    cmd.args(args);
    let wants_inbox = args.windows(2).any(|w| w[0] == "--only" && w[1] == "inbox");
    // Kept alive until the harness ends; dropping it stops a server started here.
    let database = if wants_inbox { Some(TestDatabase::acquire()?) } else { None };
    if let Some(db) = &database {
        let [(url_var, url), _] = db.env();
        cmd.env(url_var, url);
    }
    step("faxkit-bench", cmd)
}

//! `cargo xtask arch`: the shape checks issue 22 set as targets, measured from the source tree.
//!
//! - Import circles inside a crate: module A's code (comments and `#[cfg(test)] mod tests` left out) names
//!   `crate::b…` while module B's names `crate::a…`, directly or around a longer loop. A module and its own
//!   parent or children do not count (a parent declares its children). Reported as the strongly connected
//!   groups of the module graph (Tarjan).
//! - Source files over 600 lines in `crates/`, `tests/`, `bench/` and `xtask/`.
//!
//! With `--check` the task fails when either list is not empty (`cargo xtask ci` runs it so).

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use crate::util::root;

/// The longest a source file may be.
const MAX_LINES: usize = 600;

pub(crate) fn run(check: bool) -> Result<(), String> {
    let root = root();
    let mut circles = 0;
    let mut crates: Vec<PathBuf> = std::fs::read_dir(root.join("crates"))
        .map_err(|e| format!("crates/: {e}"))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.join("src").is_dir())
        .collect();
    crates.sort();
    for krate in &crates {
        let groups = circles_in(&krate.join("src"))?;
        let name = krate.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        if groups.is_empty() {
            println!("{name}: no import circle");
        }
        for group in &groups {
            circles += 1;
            println!("{name}: import circle {}", group.join(" ↔ "));
        }
    }
    let mut long = Vec::new();
    for dir in ["crates", "tests", "bench", "xtask"] {
        for file in rust_files(&root.join(dir))? {
            let lines = std::fs::read_to_string(&file).map(|t| t.lines().count()).unwrap_or(0);
            if lines > MAX_LINES {
                long.push((file.strip_prefix(&root).unwrap_or(&file).display().to_string(), lines));
            }
        }
    }
    long.sort();
    for (file, lines) in &long {
        println!("{file}: {lines} lines (over {MAX_LINES})");
    }
    println!("{circles} import circles, {} files over {MAX_LINES} lines", long.len());
    if check && (circles > 0 || !long.is_empty()) {
        return Err(format!("{circles} import circles, {} files over {MAX_LINES} lines", long.len()));
    }
    Ok(())
}

fn rust_files(dir: &Path) -> Result<Vec<PathBuf>, String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(entries) = std::fs::read_dir(&d) else { continue };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                if path.file_name().is_some_and(|n| n == "target" || n == "fixtures") {
                    continue;
                }
                stack.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(path);
            }
        }
    }
    Ok(out)
}

/// `a::b` for `src/a/b.rs` and `src/a/b/mod.rs`; `crate` for `lib.rs`/`main.rs`.
fn module_name(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap_or(file).with_extension("");
    let mut parts: Vec<String> = rel.iter().map(|p| p.to_string_lossy().into_owned()).collect();
    if parts.last().is_some_and(|l| l == "mod" || l == "lib" || l == "main") {
        parts.pop();
    }
    if parts.is_empty() { "crate".to_owned() } else { parts.join("::") }
}

/// The code of a file without comment lines and without its `#[cfg(test)] mod tests`.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]\nmod tests").next().unwrap_or(text);
    text.lines().filter(|l| !l.trim_start().starts_with("//")).collect::<Vec<_>>().join("\n")
}

/// Every `prefix` path in `code`: the identifiers joined by `::` that follow it.
fn paths_after<'a>(code: &'a str, prefix: &'a str) -> impl Iterator<Item = Vec<&'a str>> + 'a {
    code.match_indices(prefix).filter_map(move |(i, _)| {
        let before = code[..i].chars().next_back();
        if before.is_some_and(|c| c.is_alphanumeric() || c == '_') {
            return None;
        }
        let rest = &code[i + prefix.len()..];
        let end = rest.find(|c: char| !(c.is_ascii_alphanumeric() || c == '_' || c == ':')).unwrap_or(rest.len());
        let segments: Vec<&str> = rest[..end].split("::").filter(|s| !s.is_empty()).collect();
        (!segments.is_empty()).then_some(segments)
    })
}

fn circles_in(src: &Path) -> Result<Vec<Vec<String>>, String> {
    let mut modules: BTreeMap<String, String> = BTreeMap::new();
    for file in rust_files(src)? {
        let text = std::fs::read_to_string(&file).map_err(|e| format!("{}: {e}", file.display()))?;
        modules.insert(module_name(src, &file), code_of(&text));
    }
    let names: BTreeSet<String> = modules.keys().cloned().collect();
    let related = |a: &str, b: &str| a == b || a.starts_with(&format!("{b}::")) || b.starts_with(&format!("{a}::"));
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for (module, code) in &modules {
        let targets = edges.entry(module.clone()).or_default();
        for segments in paths_after(code, "crate::") {
            // The longest prefix of the path that names a module.
            let found = (1..=segments.len()).rev().map(|k| segments[..k].join("::")).find(|c| names.contains(c));
            if let Some(target) = found
                && !related(module, &target)
            {
                targets.insert(target);
            }
        }
        let parent = module.rsplit_once("::").map(|(p, _)| p.to_owned());
        for segments in paths_after(code, "super::") {
            let target = match &parent {
                Some(p) => format!("{p}::{}", segments[0]),
                None => segments[0].to_owned(),
            };
            if names.contains(&target) && !related(module, &target) {
                targets.insert(target);
            }
        }
    }
    Ok(strongly_connected(&edges).into_iter().filter(|g| g.len() > 1).collect())
}

/// Tarjan's algorithm, iterative over a small graph (recursion depth is the module count at most).
fn strongly_connected(edges: &BTreeMap<String, BTreeSet<String>>) -> Vec<Vec<String>> {
    struct State<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        next: usize,
        groups: Vec<Vec<String>>,
    }
    fn visit<'a>(s: &mut State<'a>, v: &'a str) {
        s.index.insert(v, s.next);
        s.low.insert(v, s.next);
        s.next += 1;
        s.stack.push(v);
        s.on_stack.insert(v);
        let edges = s.edges;
        for w in edges.get(v).into_iter().flatten() {
            let w = w.as_str();
            if !s.index.contains_key(w) {
                visit(s, w);
                let lw = s.low[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(lw));
            } else if s.on_stack.contains(w) {
                let iw = s.index[w];
                let lv = s.low[v];
                s.low.insert(v, lv.min(iw));
            }
        }
        if s.low[v] == s.index[v] {
            let mut group = Vec::new();
            while let Some(w) = s.stack.pop() {
                s.on_stack.remove(w);
                group.push(w.to_owned());
                if w == v {
                    break;
                }
            }
            group.sort();
            s.groups.push(group);
        }
    }
    let mut s = State {
        edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        next: 0,
        groups: Vec::new(),
    };
    for v in edges.keys() {
        if !s.index.contains_key(v.as_str()) {
            visit(&mut s, v);
        }
    }
    s.groups
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_a_circle_and_ignores_parents_and_comments() {
        let mut edges = BTreeMap::new();
        edges.insert("a".to_owned(), BTreeSet::from(["b".to_owned()]));
        edges.insert("b".to_owned(), BTreeSet::from(["c".to_owned()]));
        edges.insert("c".to_owned(), BTreeSet::from(["a".to_owned()]));
        edges.insert("d".to_owned(), BTreeSet::from(["a".to_owned()]));
        let groups: Vec<_> = strongly_connected(&edges).into_iter().filter(|g| g.len() > 1).collect();
        assert_eq!(groups, vec![vec!["a".to_owned(), "b".to_owned(), "c".to_owned()]]);
        let code = code_of(
            "use crate::x::Y;\n/// [`Z`](crate::z::Z)\nfn f() { crate::w::g() }\n#[cfg(test)]\nmod tests { use crate::t; }",
        );
        let found: Vec<Vec<&str>> = paths_after(&code, "crate::").collect();
        assert_eq!(found, vec![vec!["x", "Y"], vec!["w", "g"]]);
        assert_eq!(module_name(Path::new("/s"), Path::new("/s/a/mod.rs")), "a");
        assert_eq!(module_name(Path::new("/s"), Path::new("/s/lib.rs")), "crate");
    }
}

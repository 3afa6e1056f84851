//! Structure: the modules of late-core, of late-sim and of the napi layer (the root crate's
//! `src/`) form no cycle; late-core's layer folders form none either and keep the order its
//! lib.rs lists; late-core has no `pub mod` (it exports through `pub use`).
//!
//! The graph is read from the source text, at the granularity of files: a module (`a.rs`,
//! `a/mod.rs`, `a/b.rs`) uses another when it names it by a path — `use crate::a::b::X;`,
//! grouped `use crate::{a, b::c};`, `super::…`, `self::…`, a child module's name
//! (`window::Window`), or an in-body `crate::a::f()`. Comments and string literals are skipped
//! (a doc link is no dependency); test code counts. A path to an item the crate root re-exports
//! (`crate::Error`) is an edge to the root, which re-exports everything: using the facade from
//! inside the crate is a cycle too. A `mod a;` declaration is no use of `a`.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

#[test]
fn late_core_modules_form_no_cycle() {
    let graph = Graph::of_crate("late-core", &manifest_dir().join("src"));
    graph.assert_acyclic();
    graph.folders().assert_acyclic();
}

/// The layers are listed in lib.rs's docs (`//! - `base/`: …`), in order: a module uses its own
/// layer and the ones before it, never one after.
#[test]
fn late_core_layers_keep_the_order_of_lib_rs() {
    let src = manifest_dir().join("src");
    let order = layer_order(&read(&src.join("lib.rs")));
    assert!(order.len() > 2, "lib.rs's docs list no layers: {order:?}");
    let graph = Graph::of_crate("late-core", &src);
    let wrong = graph.against_order(&order);
    assert!(
        wrong.is_empty(),
        "late-core: the layers are, in order, {}; these uses break it:\n  {}",
        order.join(", "),
        wrong.join("\n  ")
    );
}

#[test]
fn late_core_modules_are_private_to_the_crate() {
    let root = manifest_dir().join("src");
    let mut public = Vec::new();
    for (module, file) in modules(&root) {
        let text = strip(&read(&file));
        let tokens = tokenize(&text);
        for (i, t) in tokens.iter().enumerate() {
            if t.text == "mod" && i > 0 && tokens[i - 1].text == "pub" {
                public.push(format!("{} ({}:{})", module, file.display(), t.line));
            }
        }
    }
    assert!(
        public.is_empty(),
        "late-core's modules are `pub(crate)` (or private), exported through the `pub use` list \
         of lib.rs; these are `pub mod`: {}",
        public.join(", ")
    );
}

#[test]
fn late_sim_modules_form_no_cycle() {
    Graph::of_crate("late-sim", &manifest_dir().join("../late-sim/src")).assert_acyclic();
}

#[test]
fn napi_layer_modules_form_no_cycle() {
    Graph::of_crate("the napi layer", &manifest_dir().join("../../src")).assert_acyclic();
}

/// The checker catches what it should: a circle of two, one through `super`, one through the
/// crate root's re-exports, and a grouped `use`; and not what it should not (comments, strings,
/// `use super::*` of an inline test module).
#[test]
fn the_checker_sees_cycles() {
    let files = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter()
            .map(|(m, t)| (m.to_string(), t.to_string()))
            .collect()
    };
    let two = Graph::of_sources(
        "t",
        files(&[
            ("", "mod a; mod b;"),
            ("a", "use crate::b::X; pub(crate) struct Y;"),
            ("b", "pub(crate) fn f() -> crate::a::Y { todo!() }"),
        ]),
    );
    assert_eq!(two.cycle(), Some(vec!["a".into(), "b".into()]));

    let grouped = Graph::of_sources(
        "t",
        files(&[
            ("", ""),
            ("p", "mod q; mod r;"),
            ("p::q", "use crate::{x, p::r::{self, Z}};"),
            ("p::r", "use super::q::W;"),
            ("x", ""),
        ]),
    );
    assert_eq!(grouped.cycle(), Some(vec!["p::q".into(), "p::r".into()]));

    let root = Graph::of_sources(
        "t",
        files(&[
            ("", "mod a; pub use a::A;"),
            ("a", "fn f() { let _ = crate::Error::new(); }"),
        ]),
    );
    assert_eq!(root.cycle(), Some(vec!["".into(), "a".into()]));

    let none = Graph::of_sources(
        "t",
        files(&[
            ("", "mod a; mod b; pub use a::A;"),
            (
                "a",
                "//! See [`crate::b`].\n/* crate::b::X */ use crate::b::B;\n\
                 fn f() -> &'static str { \"crate::b::x\" }\n\
                 fn g() -> char { 'c' }\n\
                 #[cfg(test)] mod tests { use super::*; }",
            ),
            (
                "b",
                "/// Unlike [`crate::a`].\npub(crate) struct B<'a>(&'a str);",
            ),
        ]),
    );
    assert_eq!(none.cycle(), None, "{:?}", none.edges);

    let folders = Graph::of_sources(
        "t",
        files(&[
            ("", ""),
            ("low::a", "use crate::high::b::B;"),
            ("low::c", ""),
            ("high::b", "use crate::low::c::C;"),
        ]),
    );
    assert_eq!(folders.cycle(), None);
    assert_eq!(
        folders.folders().cycle(),
        Some(vec!["high".into(), "low".into()])
    );

    let order = layer_order(
        "//! Layers:\n//!\n//! - `low/`: below.\n//! - `high/`: above.\n//! - `top.rs`: the top.\n",
    );
    assert_eq!(order, ["low", "high", "top"]);
    let layered = Graph::of_sources(
        "t",
        files(&[
            ("", "mod low; mod high; mod top; mod stray;"),
            ("low::a", "use crate::high::b::B;"),
            ("high::b", "use crate::low::c::C;"),
            ("low::c", ""),
            ("top", "use crate::high::b::B;"),
            ("stray", ""),
        ]),
    );
    let wrong = layered.against_order(&order);
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    assert!(
        wrong[0].contains("low::a (low/) uses high::b (high/)"),
        "{wrong:?}"
    );
    assert!(wrong[1].contains("stray is in no layer"), "{wrong:?}");
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn read(file: &Path) -> String {
    std::fs::read_to_string(file).unwrap_or_else(|e| panic!("read {}: {e}", file.display()))
}

/// The crate's file modules under `src`: module path (`""` for the root, `a::b`) → file.
/// `main.rs` is another crate (the binary) when `lib.rs` is there, and is left out.
fn modules(src: &Path) -> BTreeMap<String, PathBuf> {
    fn walk(dir: &Path, prefix: &[String], out: &mut BTreeMap<String, PathBuf>) {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("read {}: {e}", dir.display()))
            .filter_map(|e| e.ok().map(|e| e.path()))
            .collect();
        entries.sort();
        for path in entries {
            let Some(name) = path
                .file_name()
                .and_then(|n| n.to_str())
                .map(str::to_string)
            else {
                continue;
            };
            if path.is_dir() {
                let mut p = prefix.to_vec();
                p.push(name);
                walk(&path, &p, out);
                continue;
            }
            let Some(stem) = name.strip_suffix(".rs") else {
                continue;
            };
            let mut p = prefix.to_vec();
            if prefix.is_empty() && (stem == "lib" || stem == "main") {
                if stem == "main" && dir.join("lib.rs").exists() {
                    continue;
                }
            } else if stem != "mod" {
                p.push(stem.to_string());
            }
            out.insert(p.join("::"), path);
        }
    }
    let mut out = BTreeMap::new();
    walk(src, &[], &mut out);
    out
}

/// Which module uses which, with the first place it does so (file:line) for the message.
struct Graph {
    name: String,
    nodes: BTreeSet<String>,
    edges: BTreeMap<String, BTreeMap<String, String>>,
}

impl Graph {
    fn of_crate(name: &str, src: &Path) -> Self {
        let files = modules(src);
        assert!(
            files.len() > 1,
            "{name}: no modules found in {}",
            src.display()
        );
        let mut graph = Self::of_sources(
            name,
            files.iter().map(|(m, f)| (m.clone(), read(f))).collect(),
        );
        // Places as file:line.
        for targets in graph.edges.values_mut() {
            for place in targets.values_mut() {
                if let Some((module, line)) = place.split_once('@') {
                    if let Some(file) = files.get(module) {
                        let shown = file.strip_prefix(src).unwrap_or(file).display().to_string();
                        *place = format!("{shown}:{line}");
                    }
                }
            }
        }
        graph
    }

    /// A graph of `(module path, source)` pairs.
    fn of_sources(name: &str, files: Vec<(String, String)>) -> Self {
        let nodes: BTreeSet<String> = files.iter().map(|(m, _)| m.clone()).collect();
        let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (module, text) in &files {
            let tokens = tokenize(&strip(text));
            for (path, line, scope) in paths(&tokens) {
                let base = split(module)
                    .into_iter()
                    .chain(scope.iter().cloned())
                    .collect::<Vec<_>>();
                let Some(target) = resolve(&nodes, &base, module, &path) else {
                    continue;
                };
                if &target != module {
                    edges
                        .entry(module.clone())
                        .or_default()
                        .entry(target)
                        .or_insert_with(|| format!("{module}@{line}"));
                }
            }
        }
        Self {
            name: name.to_string(),
            nodes,
            edges,
        }
    }

    /// The same graph between top-level folders (a root file is its own folder).
    fn folders(&self) -> Self {
        let top = |m: &str| m.split("::").next().unwrap_or("").to_string();
        let nodes = self.nodes.iter().map(|m| top(m)).collect();
        let mut edges: BTreeMap<String, BTreeMap<String, String>> = BTreeMap::new();
        for (from, targets) in &self.edges {
            for (to, place) in targets {
                let (a, b) = (top(from), top(to));
                if a != b {
                    edges
                        .entry(a)
                        .or_default()
                        .entry(b)
                        .or_insert_with(|| format!("{from} → {to} at {place}"));
                }
            }
        }
        Self {
            name: format!("{} (layer folders)", self.name),
            nodes,
            edges,
        }
    }

    /// One cycle, as the modules on it (starting at the smallest), if there is one.
    fn cycle(&self) -> Option<Vec<String>> {
        // Depth-first search with colours; the first back edge closes a cycle.
        #[derive(Clone, Copy, PartialEq)]
        enum Colour {
            White,
            Grey,
            Black,
        }
        let mut colour: BTreeMap<&str, Colour> = self
            .nodes
            .iter()
            .map(|n| (n.as_str(), Colour::White))
            .collect();
        let empty = BTreeMap::new();
        for start in &self.nodes {
            if colour[start.as_str()] != Colour::White {
                continue;
            }
            // Stack of (node, its successors, next index).
            let mut stack: Vec<(&str, Vec<&str>, usize)> = Vec::new();
            let succ = |n: &str| -> Vec<&str> {
                self.edges
                    .get(n)
                    .unwrap_or(&empty)
                    .keys()
                    .map(String::as_str)
                    .collect()
            };
            colour.insert(start, Colour::Grey);
            stack.push((start, succ(start), 0));
            while let Some((node, next, i)) = stack.last_mut() {
                if *i == next.len() {
                    colour.insert(node, Colour::Black);
                    stack.pop();
                    continue;
                }
                let to = next[*i];
                *i += 1;
                match colour.get(to).copied().unwrap_or(Colour::Black) {
                    Colour::Grey => {
                        let at = stack.iter().position(|(n, _, _)| *n == to).unwrap_or(0);
                        let mut cycle: Vec<String> =
                            stack[at..].iter().map(|(n, _, _)| n.to_string()).collect();
                        let min = (0..cycle.len()).min_by_key(|&k| &cycle[k]).unwrap_or(0);
                        cycle.rotate_left(min);
                        return Some(cycle);
                    }
                    Colour::White => {
                        colour.insert(to, Colour::Grey);
                        let s = succ(to);
                        stack.push((to, s, 0));
                    }
                    Colour::Black => {}
                }
            }
        }
        None
    }

    /// The uses that go from a layer to a later one in `order`, and the modules in no layer.
    fn against_order(&self, order: &[String]) -> Vec<String> {
        let top = |m: &str| m.split("::").next().unwrap_or("").to_string();
        let rank = |m: &str| order.iter().position(|l| *l == top(m));
        let shown = |m: &str| {
            let t = top(m);
            if m == t && !self.nodes.iter().any(|n| n.starts_with(&format!("{t}::"))) {
                format!("{t}.rs")
            } else {
                format!("{t}/")
            }
        };
        let mut out = Vec::new();
        for (from, targets) in &self.edges {
            if from.is_empty() {
                continue;
            }
            for (to, place) in targets {
                if let (Some(a), Some(b)) = (rank(from), rank(to)) {
                    if a < b {
                        out.push(format!(
                            "{from} ({}) uses {to} ({}) at {place}",
                            shown(from),
                            shown(to)
                        ));
                    }
                }
            }
        }
        for node in &self.nodes {
            if !node.is_empty() && rank(node).is_none() {
                out.push(format!("{node} is in no layer"));
            }
        }
        out
    }

    fn assert_acyclic(&self) {
        if let Some(cycle) = self.cycle() {
            let show = |m: &str| {
                if m.is_empty() {
                    "crate root".to_string()
                } else {
                    m.to_string()
                }
            };
            let mut steps = Vec::new();
            for (k, from) in cycle.iter().enumerate() {
                let to = &cycle[(k + 1) % cycle.len()];
                let place = self
                    .edges
                    .get(from)
                    .and_then(|t| t.get(to))
                    .cloned()
                    .unwrap_or_default();
                steps.push(format!("  {} uses {} ({place})", show(from), show(to)));
            }
            panic!(
                "{}: the modules form a cycle: {} → {}\n{}",
                self.name,
                cycle
                    .iter()
                    .map(|m| show(m))
                    .collect::<Vec<_>>()
                    .join(" → "),
                show(&cycle[0]),
                steps.join("\n")
            );
        }
    }
}

/// The layers listed in lib.rs's docs, in order: the name of each `//! - `name/`:` or
/// `//! - `name.rs`:` line.
fn layer_order(lib: &str) -> Vec<String> {
    lib.lines()
        .filter_map(|l| l.trim_start().strip_prefix("//! - `"))
        .filter_map(|l| l.split_once('`').map(|(name, _)| name))
        .filter_map(|name| name.strip_suffix('/').or_else(|| name.strip_suffix(".rs")))
        .map(str::to_string)
        .collect()
}

fn split(module: &str) -> Vec<String> {
    if module.is_empty() {
        Vec::new()
    } else {
        module.split("::").map(str::to_string).collect()
    }
}

/// The file module a path names, from module `base` (the file's module plus the inline modules
/// around the path): the longest known prefix. `None` for a path outside the crate (`std::…`,
/// another crate, a local name).
fn resolve(
    nodes: &BTreeSet<String>,
    base: &[String],
    file: &str,
    path: &[String],
) -> Option<String> {
    let mut abs: Vec<String> = Vec::new();
    let mut rest = path;
    match path.first().map(String::as_str) {
        Some("crate") | Some("$crate") => rest = &path[1..],
        Some("self") | Some("super") => {
            abs = base.to_vec();
            while let Some(first) = rest.first().map(String::as_str) {
                match first {
                    "self" => rest = &rest[1..],
                    "super" => {
                        abs.pop()?;
                        rest = &rest[1..];
                    }
                    _ => break,
                }
            }
        }
        Some(first) => {
            // A relative path: a child module of the file's module (`window::Window`).
            let mut child = split(file);
            child.push(first.to_string());
            if !nodes.contains(&child.join("::")) || base.len() != split(file).len() {
                return None;
            }
            abs = split(file);
        }
        None => return None,
    }
    abs.extend(rest.iter().cloned());
    // The longest prefix that is a file module.
    (0..=abs.len())
        .rev()
        .map(|n| abs[..n].join("::"))
        .find(|m| nodes.contains(m))
}

/// The source without comments, string and character literals (replaced by spaces, line
/// breaks kept so that line numbers stay right).
fn strip(src: &str) -> String {
    let chars: Vec<char> = src.chars().collect();
    let mut out = String::with_capacity(src.len());
    let mut i = 0;
    let blank = |c: char| if c == '\n' { '\n' } else { ' ' };
    while i < chars.len() {
        let c = chars[i];
        let next = chars.get(i + 1).copied();
        if c == '/' && next == Some('/') {
            while i < chars.len() && chars[i] != '\n' {
                i += 1;
            }
        } else if c == '/' && next == Some('*') {
            let mut depth = 0;
            while i < chars.len() {
                if chars[i] == '/' && chars.get(i + 1) == Some(&'*') {
                    depth += 1;
                    out.push_str("  ");
                    i += 2;
                } else if chars[i] == '*' && chars.get(i + 1) == Some(&'/') {
                    depth -= 1;
                    out.push_str("  ");
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    out.push(blank(chars[i]));
                    i += 1;
                }
            }
        } else if c == 'r' && (next == Some('"') || next == Some('#')) && raw_start(&chars, i) {
            // A raw string: r"…", r#"…"#.
            let mut j = i + 1;
            let mut hashes = 0;
            while chars.get(j) == Some(&'#') {
                hashes += 1;
                j += 1;
            }
            if chars.get(j) != Some(&'"') {
                out.push(c);
                i += 1;
                continue;
            }
            j += 1;
            loop {
                match chars.get(j) {
                    None => break,
                    Some('"') if (1..=hashes).all(|k| chars.get(j + k) == Some(&'#')) => {
                        j += 1 + hashes;
                        break;
                    }
                    Some(&ch) => {
                        out.push(blank(ch));
                        j += 1;
                    }
                }
            }
            i = j;
        } else if c == '"' {
            i += 1;
            while i < chars.len() && chars[i] != '"' {
                if chars[i] == '\\' {
                    i += 1;
                }
                if let Some(&ch) = chars.get(i) {
                    out.push(blank(ch));
                }
                i += 1;
            }
            i += 1;
        } else if c == '\'' {
            // A character literal ('x', '\n', '\u{1F600}'), else a lifetime or label.
            if next == Some('\\') {
                i += 3;
                while i < chars.len() && chars[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if chars.get(i + 2) == Some(&'\'') {
                i += 3;
            } else {
                out.push(c);
                i += 1;
            }
        } else {
            out.push(c);
            i += 1;
        }
    }
    out
}

/// Whether the `r` at `i` starts a raw string (`r"`, `r#"`, `br"`), not ends a name (`for"`).
fn raw_start(chars: &[char], i: usize) -> bool {
    let ident = |c: &char| c.is_alphanumeric() || *c == '_';
    match i.checked_sub(1).map(|p| chars[p]) {
        None => true,
        Some('b') => !i.checked_sub(2).is_some_and(|p| ident(&chars[p])),
        Some(p) => !ident(&p),
    }
}

struct Token {
    text: String,
    line: usize,
}

fn tokenize(src: &str) -> Vec<Token> {
    let chars: Vec<char> = src.chars().collect();
    let mut out = Vec::new();
    let mut line = 1;
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c == '\n' {
            line += 1;
            i += 1;
        } else if c.is_whitespace() {
            i += 1;
        } else if c.is_alphanumeric() || c == '_' || c == '$' {
            let start = i;
            i += 1;
            while i < chars.len() && (chars[i].is_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push(Token {
                text: chars[start..i].iter().collect(),
                line,
            });
        } else if c == ':' && chars.get(i + 1) == Some(&':') {
            out.push(Token {
                text: "::".into(),
                line,
            });
            i += 2;
        } else {
            out.push(Token {
                text: c.to_string(),
                line,
            });
            i += 1;
        }
    }
    out
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_' || c == '$')
}

/// Every path of two segments or more in the token stream (`use` trees expanded), with its
/// line and the inline modules (`mod tests { … }`) around it.
fn paths(tokens: &[Token]) -> Vec<(Vec<String>, usize, Vec<String>)> {
    let mut out = Vec::new();
    // Inline modules: (name, brace depth inside it).
    let mut inline: Vec<(String, usize)> = Vec::new();
    let mut depth = 0usize;
    let scope =
        |inline: &Vec<(String, usize)>| inline.iter().map(|(n, _)| n.clone()).collect::<Vec<_>>();
    let mut i = 0;
    while i < tokens.len() {
        let t = tokens[i].text.as_str();
        match t {
            "{" => depth += 1,
            "}" => {
                if inline.last().is_some_and(|(_, d)| *d == depth) {
                    inline.pop();
                }
                depth = depth.saturating_sub(1);
            }
            "mod" if tokens.get(i + 2).is_some_and(|n| n.text == "{") => {
                if let Some(name) = tokens.get(i + 1) {
                    inline.push((name.text.clone(), depth + 1));
                }
            }
            "use" => {
                let mut found = Vec::new();
                let end = use_tree(tokens, i + 1, &[], &mut found);
                let s = scope(&inline);
                for (p, line) in found {
                    out.push((p, line, s.clone()));
                }
                i = end;
                continue;
            }
            _ if is_ident(t)
                && tokens.get(i + 1).is_some_and(|n| n.text == "::")
                && !(i > 0 && tokens[i - 1].text == "::") =>
            {
                let line = tokens[i].line;
                let mut path = vec![t.to_string()];
                let mut j = i + 1;
                while tokens.get(j).is_some_and(|n| n.text == "::")
                    && tokens.get(j + 1).is_some_and(|n| is_ident(&n.text))
                {
                    path.push(tokens[j + 1].text.clone());
                    j += 2;
                }
                if path.len() > 1 {
                    out.push((path, line, scope(&inline)));
                }
                i = j;
                continue;
            }
            _ => {}
        }
        i += 1;
    }
    out
}

/// Reads one use tree starting at `i` (after `use`, or inside a group) with the prefix so far;
/// returns the index after it (after the `;` at the top level).
fn use_tree(
    tokens: &[Token],
    mut i: usize,
    prefix: &[String],
    out: &mut Vec<(Vec<String>, usize)>,
) -> usize {
    let mut path = prefix.to_vec();
    let line = tokens.get(i).map_or(0, |t| t.line);
    while let Some(t) = tokens.get(i) {
        match t.text.as_str() {
            "::" => i += 1,
            "{" => {
                i += 1;
                loop {
                    match tokens.get(i).map(|t| t.text.as_str()) {
                        None => return i,
                        Some("}") => {
                            i += 1;
                            break;
                        }
                        Some(",") => i += 1,
                        Some(_) => i = use_tree(tokens, i, &path, out),
                    }
                }
                // A group ends the tree.
                return skip_to_end(tokens, i);
            }
            "*" => {
                i += 1;
            }
            "as" => {
                i += 2;
            }
            "," | "}" | ";" => break,
            s if is_ident(s) => {
                if s == "self" && !path.is_empty() {
                    // `a::{self}` is `a`.
                } else {
                    path.push(s.to_string());
                }
                i += 1;
            }
            _ => i += 1,
        }
    }
    if !path.is_empty() {
        out.push((path, line));
    }
    if tokens.get(i).is_some_and(|t| t.text == ";") {
        i += 1;
    }
    i
}

/// After a group: the index of the next `,` or `}` (still inside an outer group), or after `;`.
fn skip_to_end(tokens: &[Token], i: usize) -> usize {
    match tokens.get(i).map(|t| t.text.as_str()) {
        Some(";") => i + 1,
        _ => i,
    }
}

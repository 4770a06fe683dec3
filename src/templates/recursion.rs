//! Templates that would render forever: a template that includes itself or
//! imports itself (through others or not), and a macro that calls itself
//! (directly, or through other macros and includes) with nothing to end it.
//!
//! Tera renders each of these by recursion without a limit, and the stack
//! overflow that ends it aborts the whole process: `build` dies without a
//! word and `serve` stops serving. No limit can be set from outside tera, so
//! they are found before anything is rendered, in the parsed templates.
//!
//! A macro call inside `{% if %}` or `{% for %}` (or on the right of `and` or
//! `or`) may not happen, so a recursive macro guarded by a condition is legal
//! and keeps working: whether it ends depends on the data. A call with no
//! such guard between the macro's start and itself always recurses. Includes
//! and imports are cycles whatever surrounds them: a part of a page that
//! repeats itself is what a guarded recursive macro is for.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fmt;

use tera::Tera;
use tera::ast::{Expr, ExprVal, LogicOperator, MacroCall, Node};

/// A template or one of its macros: what renders.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Unit {
    /// A template's own text (its blocks included, its macros not).
    Template(String),
    /// A macro: the template defining it, and its name.
    Macro(String, String),
}

impl Unit {
    /// The template that holds this unit.
    fn template(&self) -> &str {
        match self {
            Unit::Template(name) | Unit::Macro(name, _) => name,
        }
    }
}

impl fmt::Display for Unit {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Unit::Template(name) => write!(f, "{name}"),
            Unit::Macro(template, name) => write!(f, "{template}::{name}"),
        }
    }
}

/// What a unit leads to when rendered.
#[derive(Debug)]
struct Call {
    to: Unit,
    /// Inside an `if`, a `for` or the right of `and`/`or`: it may not happen.
    guarded: bool,
    how: How,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum How {
    Include,
    Import,
    MacroCall,
}

/// A way to render forever, found in the templates.
#[derive(Debug)]
pub struct Endless {
    /// The template to fix.
    pub template: String,
    /// What in it to look for, to find its line: a macro's name, or the
    /// template that the first step of the cycle names.
    pub look_for: LookFor,
    /// What is wrong.
    pub message: String,
    /// What to do.
    pub hint: &'static str,
}

/// Where an [`Endless`] starts in its template's text.
#[derive(Debug)]
pub enum LookFor {
    /// `{% macro NAME(`.
    Macro(String),
    /// The `include` or `import` of this template.
    Template(String),
}

/// Every include cycle, import cycle and runaway macro in `tera`'s
/// templates, each reported once, in a stable order.
pub fn find(tera: &Tera) -> Vec<Endless> {
    let calls = calls(tera);
    let mut found = Vec::new();
    for (how, verb) in [(How::Include, "includes"), (How::Import, "imports")] {
        let follow = |call: &Call| call.how == how;
        for cycle in cycles(&calls, follow) {
            found.push(Endless {
                template: cycle[0].template().to_string(),
                look_for: LookFor::Template(cycle[1].template().to_string()),
                message: format!(
                    "`{}` {verb} itself: {}, so rendering it would never end",
                    cycle[0],
                    chain(&cycle)
                ),
                hint: match how {
                    How::Include => {
                        "remove one of these includes; to repeat a part of a page, call a macro inside {% if %} or {% for %}"
                    }
                    _ => "remove one of these imports: a file of macros cannot import a file that imports it",
                },
            });
        }
    }
    let unguarded = |call: &Call| !call.guarded && call.how != How::Import;
    for cycle in cycles(&calls, unguarded) {
        let Some(start) = cycle.iter().position(|u| matches!(u, Unit::Macro(..))) else {
            continue; // only includes: reported above
        };
        // Named from its first macro on: [.., m, ..] becomes [m, .., m].
        let cycle: Vec<Unit> = cycle[start..cycle.len() - 1]
            .iter()
            .chain(&cycle[..=start])
            .cloned()
            .collect();
        let Unit::Macro(template, name) = cycle[0].clone() else {
            continue;
        };
        found.push(Endless {
            template,
            look_for: LookFor::Macro(name.clone()),
            message: format!(
                "macro `{name}` calls itself with nothing to stop it: {}, so rendering it would never end",
                chain(&cycle)
            ),
            hint: "put the call inside {% if %} (or {% for %}) so that it ends, e.g. {% if depth > 0 %}{{ self::tree(depth=depth - 1) }}{% endif %}",
        });
    }
    found
}

fn chain(cycle: &[Unit]) -> String {
    let names: Vec<String> = cycle.iter().map(Unit::to_string).collect();
    names.join(" → ")
}

/// What each template and macro of `tera` leads to.
fn calls(tera: &Tera) -> BTreeMap<Unit, Vec<Call>> {
    let mut calls = BTreeMap::new();
    for (name, template) in &tera.templates {
        let mut scan = Scan::new(tera, name);
        scan.nodes(&template.ast, false);
        for (file, _) in &template.imported_macro_files {
            scan.to(Unit::Template(file.clone()), false, How::Import);
        }
        calls.insert(Unit::Template(name.clone()), scan.calls);
        for (macro_name, definition) in &template.macros {
            let mut scan = Scan::new(tera, name);
            scan.nodes(&definition.body, false);
            calls.insert(Unit::Macro(name.clone(), macro_name.clone()), scan.calls);
        }
    }
    calls
}

/// The shortest cycle through each unit that is the least unit of its
/// cycle, following only the calls `follow` accepts: each cycle once, from
/// and back to its least unit.
fn cycles(calls: &BTreeMap<Unit, Vec<Call>>, follow: impl Fn(&Call) -> bool) -> Vec<Vec<Unit>> {
    let next = |unit: &Unit| -> Vec<&Unit> {
        let mut to: Vec<&Unit> = calls
            .get(unit)
            .into_iter()
            .flatten()
            .filter(|call| follow(call))
            .map(|call| &call.to)
            .collect();
        to.sort();
        to.dedup();
        to
    };
    let mut found = Vec::new();
    for start in calls.keys() {
        // Breadth first from `start`, through units after it only.
        let mut came_from: BTreeMap<&Unit, &Unit> = BTreeMap::new();
        let mut queue = VecDeque::from([start]);
        let mut back = None;
        while let Some(unit) = queue.pop_front() {
            for to in next(unit) {
                if to == start {
                    back = Some(unit);
                    break;
                }
                if to > start && !came_from.contains_key(to) {
                    came_from.insert(to, unit);
                    queue.push_back(to);
                }
            }
            if back.is_some() {
                break;
            }
        }
        let Some(mut unit) = back else {
            continue;
        };
        let mut path = Vec::new();
        while unit != start {
            path.push(unit.clone());
            unit = came_from[unit];
        }
        path.reverse();
        let mut cycle = vec![start.clone()];
        cycle.extend(path);
        cycle.push(start.clone());
        found.push(cycle);
    }
    found
}

/// Collects the calls in one template's text or one macro's body.
struct Scan<'a> {
    tera: &'a Tera,
    /// The template the scanned text is in.
    file: &'a str,
    calls: Vec<Call>,
}

impl<'a> Scan<'a> {
    fn new(tera: &'a Tera, file: &'a str) -> Self {
        Scan {
            tera,
            file,
            calls: Vec::new(),
        }
    }

    fn to(&mut self, to: Unit, guarded: bool, how: How) {
        self.calls.push(Call { to, guarded, how });
    }

    fn nodes(&mut self, nodes: &[Node], guarded: bool) {
        for node in nodes {
            self.node(node, guarded);
        }
    }

    fn node(&mut self, node: &Node, guarded: bool) {
        match node {
            Node::VariableBlock(_, expr) => self.expr(expr, guarded),
            Node::Set(_, set) => self.expr(&set.value, guarded),
            Node::Include(_, names, _) => {
                // Tera renders the first of the names that exists.
                if let Some(name) = names.iter().find(|n| self.tera.templates.contains_key(*n)) {
                    self.to(Unit::Template(name.clone()), guarded, How::Include);
                }
            }
            Node::FilterSection(_, section, _) => {
                self.args(section.filter.args.values(), guarded);
                self.nodes(&section.body, guarded);
            }
            Node::Block(_, block, _) => self.nodes(&block.body, guarded),
            Node::Forloop(_, forloop, _) => {
                self.expr(&forloop.container, guarded);
                self.nodes(&forloop.body, true);
                if let Some(empty) = &forloop.empty_body {
                    self.nodes(empty, true);
                }
            }
            Node::If(branches, _) => {
                for (i, (_, condition, body)) in branches.conditions.iter().enumerate() {
                    // Only the first condition is always evaluated.
                    self.expr(condition, guarded || i > 0);
                    self.nodes(body, true);
                }
                if let Some((_, body)) = &branches.otherwise {
                    self.nodes(body, true);
                }
            }
            // Macro definitions are scanned as units of their own; the rest
            // renders nothing else.
            _ => {}
        }
    }

    fn args<'e>(&mut self, args: impl IntoIterator<Item = &'e Expr>, guarded: bool) {
        for arg in args {
            self.expr(arg, guarded);
        }
    }

    fn expr(&mut self, expr: &Expr, guarded: bool) {
        self.value(&expr.val, guarded);
        for filter in &expr.filters {
            self.args(filter.args.values(), guarded);
        }
    }

    fn value(&mut self, value: &ExprVal, guarded: bool) {
        match value {
            ExprVal::MacroCall(call) => {
                self.args(call.args.values(), guarded);
                for to in self.macros_called(call) {
                    self.to(to, guarded, How::MacroCall);
                }
            }
            ExprVal::FunctionCall(call) => self.args(call.args.values(), guarded),
            ExprVal::Math(math) => {
                self.expr(&math.lhs, guarded);
                self.expr(&math.rhs, guarded);
            }
            ExprVal::Logic(logic) => {
                self.expr(&logic.lhs, guarded);
                // `and` and `or` evaluate their right side only when needed.
                let lazy = matches!(logic.operator, LogicOperator::And | LogicOperator::Or);
                self.expr(&logic.rhs, guarded || lazy);
            }
            ExprVal::Test(test) => self.args(&test.args, guarded),
            ExprVal::Array(items) => self.args(items, guarded),
            ExprVal::StringConcat(concat) => {
                for value in &concat.values {
                    self.value(value, guarded);
                }
            }
            ExprVal::In(within) => {
                self.expr(&within.lhs, guarded);
                self.expr(&within.rhs, guarded);
            }
            _ => {}
        }
    }

    /// The macros `call` may run. Tera looks the namespace up in the
    /// template being rendered, which may be another than the one the call
    /// is written in; so the call's own template (and its parents) decide
    /// when they know the macro, and otherwise every template that some
    /// template imports under that namespace (any template for `self`).
    fn macros_called(&self, call: &MacroCall) -> Vec<Unit> {
        let templates = &self.tera.templates;
        let defines = |file: &str| {
            templates
                .get(file)
                .is_some_and(|t| t.macros.contains_key(&call.name))
        };
        let own_and_parents = std::iter::once(self.file)
            .chain(templates[self.file].parents.iter().map(String::as_str));
        let mut candidates: Vec<&str> = Vec::new();
        for file in own_and_parents {
            if call.namespace == "self" {
                candidates.push(file);
            } else {
                candidates.extend(imported_as(&templates[file], &call.namespace));
            }
        }
        let chosen: BTreeSet<&str> = match candidates.into_iter().find(|f| defines(f)) {
            Some(file) => BTreeSet::from([file]),
            None => templates
                .values()
                .flat_map(|t| match call.namespace.as_str() {
                    "self" => vec![t.name.as_str()],
                    namespace => imported_as(t, namespace).collect(),
                })
                .filter(|f| defines(f))
                .collect(),
        };
        chosen
            .into_iter()
            .map(|file| Unit::Macro(file.to_string(), call.name.clone()))
            .collect()
    }
}

/// The files `template` imports under `namespace`.
fn imported_as<'t>(
    template: &'t tera::Template,
    namespace: &'t str,
) -> impl Iterator<Item = &'t str> {
    template
        .imported_macro_files
        .iter()
        .filter(move |(_, ns)| ns == namespace)
        .map(|(file, _)| file.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn found(templates: &[(&str, &str)]) -> Vec<String> {
        let mut tera = Tera::default();
        tera.add_raw_templates(templates.to_vec()).unwrap();
        find(&tera).into_iter().map(|e| e.message).collect()
    }

    #[test]
    fn a_guarded_recursive_macro_is_legal() {
        let tree =
            "{% macro tree(n) %}{% if n > 0 %}{{ self::tree(n=n - 1) }}{% endif %}{% endmacro %}";
        let each = "{% macro each(items) %}{% for i in items %}{{ self::each(items=i) }}{% endfor %}{% endmacro %}";
        let lazy = "{% macro lazy(n) %}{{ n > 0 and self::lazy(n=n - 1) }}{% endmacro %}";
        let page = "{% import \"m.html\" as m %}{{ m::tree(n=3) }}{% include \"part.html\" %}";
        assert_eq!(
            found(&[
                ("m.html", &format!("{tree}{each}{lazy}")),
                ("page.html", page),
                (
                    "part.html",
                    "{% if x %}{% include \"other.html\" %}{% endif %}"
                ),
                ("other.html", "x"),
            ]),
            Vec::<String>::new()
        );
    }

    #[test]
    fn a_macro_calling_itself_unguarded() {
        let down = "{% macro down(n) %}<li>{{ self::down(n=n - 1) }}</li>{% endmacro %}";
        assert_eq!(
            found(&[("m.html", down)]),
            [
                "macro `down` calls itself with nothing to stop it: m.html::down → m.html::down, so rendering it would never end"
            ]
        );
    }

    #[test]
    fn macros_calling_each_other_through_an_import_and_an_include() {
        let a = "{% import \"b.html\" as b %}{% macro ping() %}{{ b::pong() }}{% endmacro %}";
        let b = "{% macro pong() %}{% include \"c.html\" %}{% endmacro %}";
        let c = "{% import \"a.html\" as a %}{{ a::ping() }}";
        assert_eq!(
            found(&[("a.html", a), ("b.html", b), ("c.html", c)]),
            [
                "macro `ping` calls itself with nothing to stop it: a.html::ping → b.html::pong → c.html → a.html::ping, so rendering it would never end"
            ]
        );
    }

    #[test]
    fn include_and_import_cycles() {
        assert_eq!(
            found(&[("a.html", "{% include \"a.html\" %}")]),
            ["`a.html` includes itself: a.html → a.html, so rendering it would never end"]
        );
        assert_eq!(
            found(&[
                ("a.html", "{% if x %}{% include \"b.html\" %}{% endif %}"),
                ("b.html", "{% include \"a.html\" %}"),
            ]),
            ["`a.html` includes itself: a.html → b.html → a.html, so rendering it would never end"]
        );
        assert_eq!(
            found(&[
                (
                    "a.html",
                    "{% import \"b.html\" as b %}{% macro x() %}{% endmacro %}"
                ),
                (
                    "b.html",
                    "{% import \"a.html\" as a %}{% macro y() %}{% endmacro %}"
                ),
            ]),
            ["`a.html` imports itself: a.html → b.html → a.html, so rendering it would never end"]
        );
    }
}

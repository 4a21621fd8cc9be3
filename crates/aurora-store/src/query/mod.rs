//! The Lucene-subset query language: `parser` turns text into an [`ast::Node`] tree,
//! `compile` turns the tree into an SQL condition with bound parameters.

pub mod ast;
pub mod compile;
pub mod parser;

pub use ast::{Glob, Node, Value};
pub use compile::{Sql, compile, compile_within};
pub use parser::parse;

#[cfg(test)]
mod tests;

//! Every integration test of stacks, in one binary: the modules below each cover one area, and
//! share fixtures, the built binary and the browser helpers of `common`.

// Test helpers are shared between modules of this one binary; nothing here is an API.
#![allow(unreachable_pub)]

mod common;

mod audit;
mod audit_site;
mod bad_input;
mod commands;
mod corpus;
mod diagrams;
mod discovery;
mod fuzz_findings;
mod incremental;
mod library;
mod migration;
mod pipeline;
mod props;
mod publishing;
mod reader;
mod real_libraries;
mod rebuild;
mod related;
mod search;
mod search_parts;
mod serve;

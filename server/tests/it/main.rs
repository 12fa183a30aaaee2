//! Integration tests: the real server on a real port, spoken to over HTTP.

mod catalogue;
mod pages;
mod start_up;
mod support;

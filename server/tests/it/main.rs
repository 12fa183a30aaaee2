//! Integration tests: the real server on a real port, spoken to over HTTP.

mod catalogue;
mod deployment;
mod failover;
mod pages;
mod search;
mod start_up;
mod support;

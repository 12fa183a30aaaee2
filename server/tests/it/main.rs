//! Integration tests: the real server on a real port, spoken to over HTTP.

mod catalogue;
mod deployment;
mod failover;
mod faults;
mod hostile_content;
mod hostile_http;
mod live_reload;
mod operations;
mod pages;
mod scratch;
mod search;
mod start_up;
mod support;
mod team_content;

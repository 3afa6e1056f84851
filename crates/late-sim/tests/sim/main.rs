//! Integration tests of the simulator over real loopback HTTP.

mod api;
mod common;
mod connect;
mod faults;

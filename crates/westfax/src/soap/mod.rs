//! SOAP constants shared by the SOAP and SOAP Object transports and the sandbox.

pub mod ns;

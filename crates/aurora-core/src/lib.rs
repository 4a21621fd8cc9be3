//! aurora-core

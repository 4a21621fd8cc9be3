//! The aurora-search binary: everything lives in the library so the CLI definition can be
//! reused for docs.

fn main() {
    std::process::exit(aurora_search::main_exit());
}
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

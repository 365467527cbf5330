//! Browser entry point: mount the app into the host page. Native builds have nothing to run here;
//! the native tools are the other binaries in `src/bin/`.

#[cfg(target_arch = "wasm32")]
fn main() {
    crm_lens::app::mount();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("crm-lens is a browser app: run `bash .ci/serve` (see README.md).");
    std::process::exit(2);
}

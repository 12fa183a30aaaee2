//! Start-up: broken content stops the server with the file and line; bad flags are explained.

use std::path::Path;
use std::process::Command;

fn cairn(args: &[&str]) -> (i32, String) {
    let output = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .env("CAIRN_LOG", "warn")
        .output()
        .expect("cairn runs");
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
    (output.status.code().unwrap_or(-1), text)
}

#[test]
fn broken_content_is_refused_with_file_and_line() {
    let fixture = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/broken");
    let fixture = fixture.to_str().expect("utf-8 path");
    let (code, output) = cairn(&[
        "--no-builtin",
        "--content",
        fixture,
        "--address",
        "127.0.0.1:0",
    ]);
    assert_eq!(code, 2, "{output}");
    assert!(output.contains("3 content errors"), "{output}");
    assert!(
        output.contains("notes/bad.md:4: front matter field `level` is `expert`"),
        "{output}"
    );
    assert!(
        output.contains("notes/bad.md:9: broken link to `/patterns/does-not-exist`"),
        "{output}"
    );
    assert!(
        output.contains("notes/bad.md:11: unknown widget `lava-lamp`"),
        "{output}"
    );
}

#[test]
fn the_builtin_catalogue_passes_the_check() {
    let (code, output) = cairn(&["--check"]);
    assert_eq!(code, 0, "{output}");
    assert!(output.starts_with("content ok: "), "{output}");
}

#[test]
fn invalid_configuration_is_explained() {
    let (code, output) = cairn(&["--check", "--base-url", "handbook.example.com"]);
    assert_eq!(code, 2, "{output}");
    assert!(
        output.contains("must start with http:// or https://"),
        "{output}"
    );
    let (code, output) = cairn(&["--address", "not-an-address"]);
    assert_ne!(code, 0, "{output}");
    assert!(output.contains("--address"), "{output}");
}

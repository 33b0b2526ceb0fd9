//! Renders every installable file into a directory, for `.ci/lint-services`.
//!
//! usage: render-service-files <out-dir> <codexd-bin> <home> [<codexd-client-bin>]
//!
//! Writes `<out-dir>/codexd.service`, `<out-dir>/dev.codexd.codexd.plist` and
//! `<out-dir>/claude/commands/…`, exactly as `install-service` / `install-slash-commands`
//! would write them for that binary and home, and prints each path.

use std::path::PathBuf;
use std::process::ExitCode;

use codexd_service::{
    Platform, plan_install_service, plan_install_slash_commands, slash_commands_dir,
};

fn main() -> ExitCode {
    let args: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    let (out, bin, home) = match args.as_slice() {
        [out, bin, home] | [out, bin, home, _] => (out, bin, home),
        _ => {
            eprintln!(
                "usage: render-service-files <out-dir> <codexd-bin> <home> [<codexd-client-bin>]"
            );
            return ExitCode::from(2);
        }
    };
    let client = args
        .get(3)
        .cloned()
        .unwrap_or_else(|| bin.with_file_name("codexd-client"));

    let mut files = Vec::new();
    for platform in [Platform::Linux, Platform::MacOs] {
        for f in plan_install_service(platform, bin, home).files {
            let name = f
                .path
                .file_name()
                .expect("service file has a name")
                .to_owned();
            files.push((out.join(name), f.contents));
        }
    }
    let commands_dir = slash_commands_dir(home);
    for f in plan_install_slash_commands(home, &client).files {
        let rel = f
            .path
            .strip_prefix(&commands_dir)
            .expect("under ~/.claude/commands");
        files.push((out.join("claude/commands").join(rel), f.contents));
    }
    for (path, contents) in files {
        let written = path
            .parent()
            .map_or(Ok(()), std::fs::create_dir_all)
            .and_then(|()| std::fs::write(&path, contents));
        if let Err(e) = written {
            eprintln!("render-service-files: {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("{}", path.display());
    }
    ExitCode::SUCCESS
}

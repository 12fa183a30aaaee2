//! The container and Kubernetes files agree with each other and with the server's contract.
//!
//! No image can be built here (no container daemon, no base images), so this checks offline
//! what reading can: the stages, the runtime user, ports, probe paths, mount points and the
//! configuration keys. `deploy/validate.sh` checks the manifests against the Kubernetes schemas.

use serde_yaml_ng::Value;
use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

/// The TOML keys the server accepts in its configuration file.
const CONFIG_KEYS: [&str; 10] = [
    "address",
    "content",
    "no_builtin",
    "watch",
    "site_root",
    "base_url",
    "site_title",
    "logo",
    "edit_url",
    "log_format",
];

fn repository() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn read(relative: &str) -> String {
    let path = repository().join(relative);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

/// One Containerfile instruction, continuation lines joined, in the stage it belongs to.
#[derive(Debug)]
struct Instruction {
    stage: usize,
    keyword: String,
    arguments: String,
}

fn containerfile() -> Vec<Instruction> {
    let mut instructions = Vec::new();
    let mut stage = 0;
    let mut pending = String::new();
    for line in read("Containerfile").lines() {
        let trimmed = line.trim();
        if trimmed.starts_with('#') || (trimmed.is_empty() && pending.is_empty()) {
            continue;
        }
        if let Some(start) = trimmed.strip_suffix('\\') {
            pending.push_str(start);
            pending.push(' ');
            continue;
        }
        pending.push_str(trimmed);
        let text = std::mem::take(&mut pending);
        let (keyword, arguments) = text.split_once(' ').unwrap_or((&text, ""));
        let keyword = keyword.to_ascii_uppercase();
        if keyword == "FROM" {
            stage += 1;
        }
        instructions.push(Instruction {
            stage,
            keyword,
            arguments: arguments.trim().to_string(),
        });
    }
    instructions
}

fn runtime_instructions(instructions: &[Instruction]) -> Vec<&Instruction> {
    let last = instructions.iter().map(|i| i.stage).max().unwrap_or(0);
    instructions.iter().filter(|i| i.stage == last).collect()
}

fn single<'a>(instructions: &[&'a Instruction], keyword: &str) -> &'a str {
    let found: Vec<&str> = instructions
        .iter()
        .filter(|i| i.keyword == keyword)
        .map(|i| i.arguments.as_str())
        .collect();
    assert_eq!(
        found.len(),
        1,
        "the runtime stage has one {keyword}: {found:?}"
    );
    found[0]
}

fn manifest(name: &str) -> Value {
    let text = read(&format!("deploy/kubernetes/{name}"));
    serde_yaml_ng::from_str(&text).unwrap_or_else(|error| panic!("{name}: {error}"))
}

/// `value` at a `.`-separated path of keys and list indices, or a panic naming the path.
fn at<'a>(value: &'a Value, path: &str) -> &'a Value {
    path.split('.').fold(value, |node, key| {
        let next = match key.parse::<usize>() {
            Ok(index) => node.get(index),
            Err(_) => node.get(key),
        };
        next.unwrap_or_else(|| panic!("no `{path}` (stopped at `{key}`)"))
    })
}

fn text<'a>(value: &'a Value, path: &str) -> &'a str {
    at(value, path)
        .as_str()
        .unwrap_or_else(|| panic!("`{path}` is not a string"))
}

fn number(value: &Value, path: &str) -> u64 {
    at(value, path)
        .as_u64()
        .unwrap_or_else(|| panic!("`{path}` is not a whole number"))
}

/// The entry of the list at `path` whose `name` is `name`.
fn named<'a>(value: &'a Value, path: &str, name: &str) -> &'a Value {
    at(value, path)
        .as_sequence()
        .unwrap_or_else(|| panic!("`{path}` is not a list"))
        .iter()
        .find(|entry| entry.get("name").and_then(Value::as_str) == Some(name))
        .unwrap_or_else(|| panic!("`{path}` has no entry named `{name}`"))
}

fn labels(value: &Value) -> BTreeSet<(String, String)> {
    value
        .as_mapping()
        .expect("labels are a mapping")
        .iter()
        .map(|(key, value)| {
            (
                key.as_str().expect("label key").to_string(),
                value.as_str().expect("label value").to_string(),
            )
        })
        .collect()
}

fn server_container(deployment: &Value) -> &Value {
    named(deployment, "spec.template.spec.containers", "cairn")
}

#[test]
fn the_containerfile_builds_in_stages_and_runs_unprivileged() {
    let instructions = containerfile();
    let stages: Vec<&str> = instructions
        .iter()
        .filter(|i| i.keyword == "FROM")
        .map(|i| i.arguments.as_str())
        .collect();
    assert_eq!(
        stages.len(),
        3,
        "npm packages, builder, runtime: {stages:?}"
    );
    let builder = stages
        .iter()
        .position(|from| from.ends_with(" AS builder"))
        .expect("a stage named builder");
    assert!(
        stages[builder].starts_with("docker.io/library/rust:")
            && stages[builder].contains("bookworm"),
        "the builder is the official Rust image on bookworm, like the runtime: {}",
        stages[builder]
    );
    assert!(
        stages[2].starts_with("docker.io/library/debian:bookworm-slim"),
        "the runtime is debian:bookworm-slim: {}",
        stages[2]
    );

    // The builder installs what .ci/install.sh installs, at the same versions.
    let install = read(".ci/install.sh");
    let leptos_version = install
        .lines()
        .find_map(|line| line.strip_prefix("CARGO_LEPTOS_VERSION="))
        .expect("install.sh pins cargo-leptos");
    let build: Vec<&str> = instructions
        .iter()
        .filter(|i| i.stage == builder + 1)
        .map(|i| i.arguments.as_str())
        .collect();
    let build = build.join("\n");
    assert!(
        build.contains(&format!("CARGO_LEPTOS_VERSION={leptos_version}")),
        "cargo-leptos {leptos_version}, as in .ci/install.sh"
    );
    for step in [
        "rustup target add wasm32-unknown-unknown",
        "cargo install cargo-leptos --version \"$CARGO_LEPTOS_VERSION\" --locked",
        "cargo install wasm-bindgen-cli --version \"$WASM_BINDGEN_VERSION\"",
        "/^name = \"wasm-bindgen\"$/",
        "cargo leptos build --release",
    ] {
        assert!(build.contains(step), "the builder runs `{step}`");
    }
    assert!(
        install.contains("/^name = \"wasm-bindgen\"$/"),
        "install.sh and the Containerfile read the wasm-bindgen version the same way"
    );

    let runtime = runtime_instructions(&instructions);
    let user = single(&runtime, "USER");
    let (uid, gid) = user.split_once(':').unwrap_or((user, user));
    let uid: u64 = uid
        .parse()
        .expect("a numeric user id (runAsNonRoot needs one)");
    let gid: u64 = gid.parse().expect("a numeric group id");
    assert_ne!(uid, 0, "the runtime user is not root");
    assert_ne!(gid, 0, "the runtime group is not root");

    let environment = single(&runtime, "ENV");
    assert!(
        environment.contains("CAIRN_ADDRESS=0.0.0.0:3000"),
        "{environment}"
    );
    assert_eq!(single(&runtime, "EXPOSE"), "3000");
    let healthcheck = single(&runtime, "HEALTHCHECK");
    assert!(healthcheck.contains("/healthz"), "{healthcheck}");
    assert!(
        runtime.iter().any(|i| i.keyword == "RUN"
            && i.arguments
                .contains("install -y --no-install-recommends curl")),
        "the health check's curl is installed in the runtime stage"
    );
    let copies: Vec<&str> = runtime
        .iter()
        .filter(|i| i.keyword == "COPY")
        .map(|i| i.arguments.as_str())
        .collect();
    assert!(
        copies
            .iter()
            .any(|c| c == &"--from=builder /out/cairn /out/hash.txt /usr/lib/cairn/"),
        "the binary and, beside it, the hashed asset names it reads: {copies:?}"
    );
    assert_eq!(single(&runtime, "ENTRYPOINT"), "[\"/usr/lib/cairn/cairn\"]");
    assert!(
        copies.iter().any(|c| c.ends_with(" /usr/share/cairn/site")),
        "{copies:?}"
    );
    assert!(
        environment.contains("CAIRN_SITE_ROOT=/usr/share/cairn/site"),
        "the server finds the copied front end: {environment}"
    );
    let labels = single(&runtime, "LABEL");
    assert!(
        labels.contains("/content (read-only)") && labels.contains("/etc/cairn/cairn.toml"),
        "the mount points are documented on the image: {labels}"
    );
}

#[test]
fn the_build_context_leaves_out_local_build_output() {
    let ignore = read(".containerignore");
    for entry in ["target/", "end2end/node_modules/", ".git"] {
        assert!(
            ignore.lines().any(|line| line.trim() == entry),
            ".containerignore leaves out {entry}"
        );
    }
    assert_eq!(
        read(".dockerignore"),
        ignore,
        ".dockerignore says the same as .containerignore"
    );
}

#[test]
fn the_kubernetes_manifests_agree_with_the_image_and_each_other() {
    let instructions = containerfile();
    let runtime = runtime_instructions(&instructions);
    let user = single(&runtime, "USER");
    let (uid, gid) = user.split_once(':').unwrap_or((user, user));
    let deployment = manifest("deployment.yaml");
    let service = manifest("service.yaml");
    let config_map = manifest("configmap.yaml");
    let autoscaler = manifest("hpa.yaml");
    let budget = manifest("pdb.yaml");

    let pod = at(&deployment, "spec.template.spec");
    assert_eq!(
        at(pod, "securityContext.runAsNonRoot").as_bool(),
        Some(true)
    );
    assert_eq!(number(pod, "securityContext.runAsUser").to_string(), uid);
    assert_eq!(number(pod, "securityContext.runAsGroup").to_string(), gid);
    assert!(
        deployment
            .get("spec")
            .and_then(|spec| spec.get("replicas"))
            .is_none(),
        "the autoscaler owns the replica count"
    );

    let container = server_container(&deployment);
    assert_eq!(
        text(container, "image"),
        text(&manifest("kustomization.yaml"), "images.0.name"),
        "kustomize sets the server's image"
    );
    assert_eq!(
        at(container, "securityContext.readOnlyRootFilesystem").as_bool(),
        Some(true)
    );
    assert_eq!(
        at(container, "securityContext.allowPrivilegeEscalation").as_bool(),
        Some(false)
    );
    for resource in [
        "requests.cpu",
        "requests.memory",
        "limits.cpu",
        "limits.memory",
    ] {
        at(container, &format!("resources.{resource}"));
    }

    // One port, from the image's EXPOSE to the Service.
    let port = named(container, "ports", "http");
    assert_eq!(
        number(port, "containerPort").to_string(),
        single(&runtime, "EXPOSE")
    );
    assert_eq!(text(&service, "spec.ports.0.targetPort"), "http");
    for probe in ["startupProbe", "readinessProbe", "livenessProbe"] {
        assert_eq!(
            text(container, &format!("{probe}.httpGet.port")),
            "http",
            "{probe}"
        );
    }
    assert_eq!(text(container, "readinessProbe.httpGet.path"), "/readyz");
    assert_eq!(text(container, "livenessProbe.httpGet.path"), "/healthz");
    assert_eq!(text(container, "startupProbe.httpGet.path"), "/healthz");

    // The configuration file: where CAIRN_CONFIG says, from the ConfigMap, with known keys.
    assert_eq!(
        text(named(container, "env", "CAIRN_CONFIG"), "value"),
        "/etc/cairn/cairn.toml"
    );
    let config_mount = named(container, "volumeMounts", "config");
    assert_eq!(text(config_mount, "mountPath"), "/etc/cairn");
    assert_eq!(at(config_mount, "readOnly").as_bool(), Some(true));
    let config_volume = named(pod, "volumes", "config");
    assert_eq!(
        text(config_volume, "configMap.name"),
        text(&config_map, "metadata.name")
    );
    assert_eq!(text(config_volume, "configMap.items.0.path"), "cairn.toml");
    let config_text = at(&config_map, "data")
        .get("cairn.toml")
        .and_then(Value::as_str)
        .expect("the ConfigMap holds cairn.toml");
    let config: toml::Table =
        toml::from_str(config_text).expect("the ConfigMap's cairn.toml is valid TOML");
    for key in config.keys() {
        assert!(
            CONFIG_KEYS.contains(&key.as_str()),
            "`{key}` is not a configuration key the server reads"
        );
    }
    for overridden in ["address", "site_root"] {
        assert!(
            !config.contains_key(overridden),
            "`{overridden}` would be overridden by the image's environment"
        );
    }
    assert_eq!(
        config.get("log_format").and_then(toml::Value::as_str),
        Some("json")
    );

    // The team's content: cloned into a volume that the server reads at the configured path.
    let content_mount = named(container, "volumeMounts", "content");
    assert_eq!(text(content_mount, "mountPath"), "/content");
    assert_eq!(at(content_mount, "readOnly").as_bool(), Some(true));
    let content = config
        .get("content")
        .and_then(toml::Value::as_str)
        .expect("the configuration names the content folder");
    let fetcher = named(pod, "initContainers", "fetch-content");
    let fetch_root = text(named(fetcher, "env", "GITSYNC_ROOT"), "value");
    let link = text(named(fetcher, "env", "GITSYNC_LINK"), "value");
    assert_eq!(
        text(named(fetcher, "volumeMounts", "content"), "mountPath"),
        fetch_root
    );
    assert_eq!(
        content,
        format!("/content/{link}"),
        "the server reads where git-sync links the checkout"
    );

    // Selectors find the pods; the autoscaler scales this Deployment on CPU.
    let pod_labels = labels(at(&deployment, "spec.template.metadata.labels"));
    for (what, selector) in [
        ("Deployment", at(&deployment, "spec.selector.matchLabels")),
        ("Service", at(&service, "spec.selector")),
        (
            "PodDisruptionBudget",
            at(&budget, "spec.selector.matchLabels"),
        ),
    ] {
        assert!(
            labels(selector).is_subset(&pod_labels),
            "the {what} selector matches the pods"
        );
    }
    assert_eq!(text(&autoscaler, "apiVersion"), "autoscaling/v2");
    assert_eq!(
        text(&autoscaler, "spec.scaleTargetRef.name"),
        text(&deployment, "metadata.name")
    );
    assert_eq!(text(&autoscaler, "spec.metrics.0.resource.name"), "cpu");
    assert!(number(&autoscaler, "spec.minReplicas") >= 2);
}

#[test]
fn the_kustomization_lists_every_manifest() {
    let folder = repository().join("deploy/kubernetes");
    let mut on_disk: Vec<String> = std::fs::read_dir(&folder)
        .expect("deploy/kubernetes exists")
        .filter_map(Result::ok)
        .map(|entry| entry.file_name().to_string_lossy().into_owned())
        .filter(|name| name.ends_with(".yaml") && name != "kustomization.yaml")
        .collect();
    on_disk.sort();
    let kustomization = manifest("kustomization.yaml");
    let mut listed: Vec<String> = at(&kustomization, "resources")
        .as_sequence()
        .expect("resources is a list")
        .iter()
        .map(|entry| entry.as_str().expect("a file name").to_string())
        .collect();
    listed.sort();
    assert_eq!(listed, on_disk);
}

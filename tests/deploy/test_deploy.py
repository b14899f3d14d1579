"""deploy/: Kubernetes manifests valid against the Kubernetes schemas and consistent with each other; Dockerfiles
that reference files the repository has. (No images are built here.)"""
import re
import shlex
from pathlib import Path

import kubernetes_validate
import pytest
import yaml

from serving.prod import endpoints as profile_endpoints
from tests.conftest import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
KUBERNETES_VERSION = "1.27.0"
MANIFESTS = [(path.name, number, document) for path in sorted((DEPLOY / "k8s").glob("*.yaml"))
             for number, document in enumerate(yaml.safe_load_all(path.read_text())) if document]
DOCKERFILES = sorted(DEPLOY.glob("*Dockerfile"))
OUR_IMAGES = {"iecmh-rasa": ("Dockerfile", "rasa"), "iecmh-actions": ("Dockerfile", "actions"),
              "iecmh-web": ("web.Dockerfile", None)}


def of_kind(kind):
    return [document for _, _, document in MANIFESTS if document["kind"] == kind]


def pod_specs():
    for document in MANIFESTS:
        spec = document[2].get("spec", {})
        if "template" in spec:
            yield document[2], spec["template"]["spec"]


@pytest.mark.parametrize("name, number, document", MANIFESTS, ids=[f"{n}#{i}" for n, i, _ in MANIFESTS])
def test_manifest_is_valid_kubernetes(name, number, document):
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_every_service_selects_pods_of_a_workload():
    labels = [document["spec"]["template"].get("metadata", {}).get("labels", {}) for document, _ in pod_specs()]
    for service in of_kind("Service"):
        selector = service["spec"]["selector"]
        assert any(selector.items() <= pod_labels.items() for pod_labels in labels), service["metadata"]["name"]


def test_references_to_services_configmaps_and_secrets_resolve():
    services = {service["metadata"]["name"] for service in of_kind("Service")}
    config_maps = {item["metadata"]["name"] for item in of_kind("ConfigMap")}
    secrets = {item["metadata"]["name"]: set(item["stringData"]) for item in of_kind("Secret")}
    for ingress in of_kind("Ingress"):
        for rule in ingress["spec"]["rules"]:
            for path in rule["http"]["paths"]:
                assert path["backend"]["service"]["name"] in services
    for _, spec in pod_specs():
        for volume in spec.get("volumes", []):
            if "configMap" in volume:
                assert volume["configMap"]["name"] in config_maps
        for container in spec["containers"]:
            for variable in container.get("env", []):
                reference = variable.get("valueFrom", {}).get("secretKeyRef")
                if reference:
                    assert reference["key"] in secrets[reference["name"]], variable["name"]


def test_rasa_endpoints_match_the_tested_production_profile():
    tested = profile_endpoints({"actions_port": 5055, "database_url": "postgresql://postgres@postgres:5432/iecmh",
                                "redis": {"host": "redis", "port": 6379, "db": 0}})
    deployed = yaml.safe_load(of_kind("ConfigMap")[0]["data"]["endpoints.yml"])
    assert deployed["tracker_store"] == tested["tracker_store"]
    assert deployed["lock_store"] == tested["lock_store"]
    rasa_env = {variable["name"] for document, spec in pod_specs() if document["metadata"]["name"] == "rasa"
                for container in spec["containers"] for variable in container.get("env", [])}
    assert {"CONVERSATIONS_DATABASE_URL", "LOCK_STORE_URL"} <= rasa_env
    assert deployed["action_endpoint"]["url"].startswith("http://actions:")
    rasa = next(document for document, _ in pod_specs() if document["metadata"]["name"] == "rasa")
    assert rasa["spec"]["replicas"] >= 2


def test_every_container_has_probes_and_resource_requests():
    for workload, spec in pod_specs():
        for container in spec["containers"]:
            assert container.get("resources", {}).get("requests"), container["name"]
            if workload["kind"] != "Job":
                assert "readinessProbe" in container and "livenessProbe" in container, container["name"]


def test_our_images_come_from_deploy_dockerfiles():
    for _, spec in pod_specs():
        for container in spec["containers"]:
            image = container["image"].split(":")[0]
            if image.startswith("iecmh-"):
                dockerfile, target = OUR_IMAGES[image]
                if target:
                    assert re.search(rf"^FROM .* AS {target}$", (DEPLOY / dockerfile).read_text(), re.M)


def instructions(dockerfile: Path):
    """(instruction, arguments) pairs, with continued lines joined."""
    return instructions_of(dockerfile.read_text())


def instructions_of(text: str):
    text = re.sub(r"\\\n", " ", text)
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            word, _, rest = line.partition(" ")
            yield word.upper(), rest.strip()


@pytest.mark.parametrize("dockerfile", DOCKERFILES, ids=[path.name for path in DOCKERFILES])
def test_dockerfile_copies_files_that_exist(dockerfile):
    sources = []
    for word, rest in instructions(dockerfile):
        if word == "COPY" and "--from=" not in rest:
            sources += shlex.split(rest)[:-1]
    assert sources
    missing = [source for source in sources if not (PROJECT_ROOT / source).exists()]
    assert not missing, f"{dockerfile.name} copies files the repository does not have: {missing}"


def test_the_rasa_image_has_the_stores_its_endpoints_name():
    text = (DEPLOY / "Dockerfile").read_text()
    rasa_stage = text.split(" AS rasa", 1)[1].split("\nFROM ", 1)[0]
    copied = {rest.split()[0].strip("/") for word, rest in instructions_of(rasa_stage) if word == "COPY"}
    deployed = yaml.safe_load(of_kind("ConfigMap")[0]["data"]["endpoints.yml"])
    for store in ("tracker_store", "lock_store"):
        assert deployed[store]["type"].split(".")[0] in copied, store


def test_dockerfile_commands_name_modules_that_exist():
    text = (DEPLOY / "Dockerfile").read_text()
    stages = re.findall(r"^FROM \S+ AS (\w+)$", text, re.M)
    assert {"base", "build", "rasa", "actions"} <= set(stages)
    for module in re.findall(r'"-m", "([\w.]+)"', text) + re.findall(r"python -m ([\w.]+)", text) \
            + re.findall(r'"--actions", "([\w.]+)"', text):
        assert (PROJECT_ROOT / (module.replace(".", "/") + ".py")).exists(), module
    for copied in re.findall(r"COPY --from=build /app/(\S+)", text):
        assert (PROJECT_ROOT / copied).exists(), f"{copied} is made by `make train`; the build stage makes it too"

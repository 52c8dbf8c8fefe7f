#!/usr/bin/env python3
"""Writes data/classnames/<name>.txt and data/clip-templates/<name>.txt from CLIP's prompts.md
(../shared/datasets/clip-prompts, MIT, (c) OpenAI). Run once when the catalog gains a dataset."""
import ast, pathlib, re, sys

SECTIONS = {  # prompts.md section -> catalog name
    "CIFAR10": "cifar10", "CIFAR100": "cifar100", "Caltech101": "caltech101",
    "DescribableTextures": "dtd", "EuroSAT": "eurosat", "FGVCAircraft": "fgvc-aircraft",
    "Flowers102": "flowers102", "Food101": "food101", "OxfordPets": "oxford-pets",
    "RESISC45": "resisc45", "SUN397": "sun397", "StanfordCars": "stanford-cars", "UCF101": "ucf101",
}
src = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else "../shared/datasets/clip-prompts")
repo = pathlib.Path(__file__).resolve().parent.parent
text = (src / "prompts.md").read_text()
for title, body in re.findall(r"^## (\S+)\n+```bash\n(.*?)```", text, re.S | re.M):
    if title not in SECTIONS:
        continue
    values = {}
    for key in ("classes", "templates"):
        m = re.search(key + r" = (\[.*?\n\])", body, re.S)
        values[key] = ast.literal_eval(m.group(1))
    name = SECTIONS[title]
    # Caltech101 and EuroSAT runs use CoOp's class names (data/classnames/*-coop.txt), not CLIP's.
    write_classes = name not in ("caltech101", "eurosat")
    head = f"# CLIP's published {title} {{}} (openai/CLIP data/prompts.md, MIT): {{}} lines.\n"
    if write_classes:
        (repo / "data/classnames" / f"{name}.txt").write_text(
            head.format("class names, in the label order of its evaluation", len(values["classes"])) + "\n".join(values["classes"]) + "\n")
    (repo / ("data/templates" if name == "cifar10" else "data/clip-templates") / f"{name}.txt").write_text(
        head.format("prompt ensemble; {} stands for the class name", len(values["templates"])) + "\n".join(values["templates"]) + "\n")
    print(name, len(values["classes"]), len(values["templates"]))

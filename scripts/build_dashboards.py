"""Write liandong's Grafana dashboards (built in scripts/dashboards/) to deploy/grafana/dashboards/.

`python -m scripts.build_dashboards` after changing a dashboard; `--check` writes nothing
and fails while a committed file differs from the code (tests/deploy/test_dashboards.py).
Needs grafana-foundation-sdk (the test extra).
"""

import sys
from pathlib import Path

from grafana_foundation_sdk.cog.encoder import JSONEncoder

from scripts.dashboards import overview, service

OUT = Path(__file__).resolve().parents[1] / "deploy" / "grafana" / "dashboards"


def render() -> dict[str, str]:
    """File name -> JSON text of every dashboard."""
    built = {"overview": overview.build().build()}
    built.update({name: service.build(name).build() for name in service.SERVICES})
    for dashboard in built.values():
        for number, panel in enumerate(dashboard.panels or [], start=1):
            panel.id_val = number  # stable ids: links and embeds refer to them
    encoder = JSONEncoder(sort_keys=True, indent=2, ensure_ascii=False)
    return {f"liandong-{name}.json": encoder.encode(d) + "\n" for name, d in built.items()}


def stale(out: Path = OUT) -> list[str]:
    rendered = render()
    on_disk = {p.name for p in out.glob("*.json")}
    return sorted(name for name in rendered.keys() | on_disk
                  if name not in rendered or not (out / name).exists()
                  or (out / name).read_text(encoding="utf-8") != rendered[name])


def main(argv: list[str]) -> int:
    if "--check" in argv:
        if names := stale():
            print(f"stale: {', '.join(names)}; run python -m scripts.build_dashboards")
            return 1
        return 0
    OUT.mkdir(parents=True, exist_ok=True)
    for path in OUT.glob("*.json"):
        path.unlink()
    for name, text in render().items():
        (OUT / name).write_text(text, encoding="utf-8")
        print(f"wrote deploy/grafana/dashboards/{name}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

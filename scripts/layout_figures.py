"""Print the layout's figures: modules per folder, longest functions, imports inside
functions and import circles inside each app.

Run from the repository root: ``.venv/bin/python scripts/layout_figures.py``. The figures
are what a maintainer watches when the layout drifts; the restructuring's note quotes them.
"""

import ast
import sys
from collections import Counter
from pathlib import Path

APPS = ("community", "events", "cms", "config")
ROOT = Path(__file__).resolve().parent.parent


def python_files():
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def functions(tree):
    for node in ast.walk(tree):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            yield node


def nested_imports(func):
    return [
        node
        for node in ast.walk(func)
        if isinstance(node, ast.Import | ast.ImportFrom) and node is not func
    ]


def main():
    per_folder = Counter()
    lengths = []
    inner_imports = 0
    inner_by_file = Counter()
    for path in python_files():
        rel = path.relative_to(ROOT)
        per_folder[str(rel.parent)] += 1
        tree = ast.parse(path.read_text(), filename=str(rel))
        seen = set()
        for func in functions(tree):
            lengths.append((func.end_lineno - func.lineno + 1, f"{rel}:{func.lineno} {func.name}"))
            for node in nested_imports(func):
                if id(node) not in seen:
                    seen.add(id(node))
                    inner_imports += 1
                    inner_by_file[str(rel)] += 1

    print("Modules per folder (migrations excluded):")
    for folder, count in sorted(per_folder.items()):
        print(f"  {count:3d}  {folder}/")
    print(f"  largest folder: {max(per_folder.values())} modules")
    print("\nLongest functions:")
    for length, where in sorted(lengths, reverse=True)[:10]:
        print(f"  {length:4d} lines  {where}")
    print(f"\nImports inside functions: {inner_imports}")
    for name, count in inner_by_file.most_common(8):
        print(f"  {count:3d}  {name}")
    print_circles()


def print_circles():
    try:
        import grimp
    except ImportError:  # the dev extras are not installed
        print("\nImport circles: grimp is not installed")
        return
    sys.path.insert(0, str(ROOT))
    graph = grimp.build_graph(*APPS, cache_dir=None)
    print("\nImport circles inside each app (strongly connected modules):")
    for app in APPS:
        modules = {m for m in graph.modules if m == app or m.startswith(app + ".")}
        for component in strongly_connected(graph, modules):
            if len(component) > 1:
                print(f"  {app}: {len(component)} modules: {', '.join(sorted(component))}")


def strongly_connected(graph, modules):
    """Tarjan's algorithm over the import graph restricted to ``modules``."""
    index, low, stack, on_stack, result = {}, {}, [], set(), []
    counter = [0]

    def edges(module):
        return graph.find_modules_directly_imported_by(module) & modules

    def visit(start):
        work = [(start, iter(sorted(edges(start))))]
        index[start] = low[start] = counter[0]
        counter[0] += 1
        stack.append(start)
        on_stack.add(start)
        while work:
            node, children = work[-1]
            for child in children:
                if child not in index:
                    index[child] = low[child] = counter[0]
                    counter[0] += 1
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(edges(child)))))
                    break
                if child in on_stack:
                    low[node] = min(low[node], index[child])
            else:
                work.pop()
                if work:
                    low[work[-1][0]] = min(low[work[-1][0]], low[node])
                if low[node] == index[node]:
                    component = set()
                    while True:
                        member = stack.pop()
                        on_stack.discard(member)
                        component.add(member)
                        if member == node:
                            break
                    result.append(component)

    for module in sorted(modules):
        if module not in index:
            visit(module)
    return result


if __name__ == "__main__":
    main()

# SPDX-License-Identifier: GPL-2.0-only OR BSD-2-Clause
"""A small JSON Schema (draft 2020-12) validator, standard library only.

It implements the keywords alua_probe.schema.json uses, with their
standard meaning: type, const, enum, properties, required,
additionalProperties (relative to the same object's properties), items,
minItems, minimum, maximum, pattern, allOf, anyOf, oneOf, not, if/then/else
and $ref to "#/..." pointers.  Any other keyword in the schema is an error,
so the schema cannot lean on something this validator silently skips.
Annotations ($schema, $id, title, description, $defs) are ignored.

    errors = validate(instance, schema)   # [] when valid
"""
import re

ANNOTATIONS = {"$schema", "$id", "title", "description", "$defs", "$comment"}
KNOWN = ANNOTATIONS | {
    "type", "const", "enum", "properties", "required", "additionalProperties",
    "items", "minItems", "minimum", "maximum", "pattern", "allOf", "anyOf",
    "oneOf", "not", "if", "then", "else", "$ref"}


def _is_type(x, t):
    if t == "null":
        return x is None
    if t == "boolean":
        return isinstance(x, bool)
    if t == "integer":
        return isinstance(x, int) and not isinstance(x, bool)
    if t == "number":
        return isinstance(x, (int, float)) and not isinstance(x, bool)
    if t == "string":
        return isinstance(x, str)
    if t == "array":
        return isinstance(x, list)
    if t == "object":
        return isinstance(x, dict)
    raise ValueError("unknown type %r" % t)


def _equal(a, b):
    # JSON equality: true is not 1
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    return a == b


def _resolve(root, ref):
    if not ref.startswith("#"):
        raise ValueError("only local $ref supported: %r" % ref)
    node = root
    for part in ref[1:].split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[part]
    return node


def _check(x, s, root, path, errs):
    if s is True:
        return
    if s is False:
        errs.append("%s: no value allowed here" % path)
        return
    unknown = set(s) - KNOWN
    if unknown:
        raise ValueError("schema keyword(s) not supported: %s" % sorted(unknown))
    if "$ref" in s:
        _check(x, _resolve(root, s["$ref"]), root, path, errs)
    if "type" in s:
        ts = s["type"] if isinstance(s["type"], list) else [s["type"]]
        if not any(_is_type(x, t) for t in ts):
            errs.append("%s: %r is not of type %s" % (path, x, "/".join(ts)))
            return
    if "const" in s and not _equal(x, s["const"]):
        errs.append("%s: %r is not %r" % (path, x, s["const"]))
    if "enum" in s and not any(_equal(x, e) for e in s["enum"]):
        errs.append("%s: %r is not one of %r" % (path, x, s["enum"]))
    if _is_type(x, "number"):
        if "minimum" in s and x < s["minimum"]:
            errs.append("%s: %r < minimum %r" % (path, x, s["minimum"]))
        if "maximum" in s and x > s["maximum"]:
            errs.append("%s: %r > maximum %r" % (path, x, s["maximum"]))
    if isinstance(x, str) and "pattern" in s and not re.search(s["pattern"], x):
        errs.append("%s: %r does not match %r" % (path, x, s["pattern"]))
    if isinstance(x, list):
        if "minItems" in s and len(x) < s["minItems"]:
            errs.append("%s: fewer than %d items" % (path, s["minItems"]))
        if "items" in s:
            for i, v in enumerate(x):
                _check(v, s["items"], root, "%s[%d]" % (path, i), errs)
    if isinstance(x, dict):
        props = s.get("properties", {})
        for k in s.get("required", []):
            if k not in x:
                errs.append("%s: member %r missing" % (path, k))
        for k, v in x.items():
            if k in props:
                _check(v, props[k], root, "%s.%s" % (path, k), errs)
            elif "additionalProperties" in s:
                _check(v, s["additionalProperties"], root,
                       "%s.%s (undeclared member)" % (path, k), errs)
    for sub in s.get("allOf", []):
        _check(x, sub, root, path, errs)
    if "anyOf" in s:
        if not any(not validate(x, sub, root) for sub in s["anyOf"]):
            errs.append("%s: matches none of anyOf" % path)
    if "oneOf" in s:
        n = sum(1 for sub in s["oneOf"] if not validate(x, sub, root))
        if n != 1:
            errs.append("%s: matches %d of oneOf, not exactly 1" % (path, n))
    if "not" in s and not validate(x, s["not"], root):
        errs.append("%s: %r matches a 'not' schema" % (path, x))
    if "if" in s:
        if not validate(x, s["if"], root):
            if "then" in s:
                _check(x, s["then"], root, path, errs)
        elif "else" in s:
            _check(x, s["else"], root, path, errs)


def validate(instance, schema, root=None):
    """The list of errors, empty when @instance is valid."""
    errs = []
    _check(instance, schema, schema if root is None else root, "$", errs)
    return errs


def _selftest():
    s = {"type": "object", "required": ["a"], "additionalProperties": False,
         "properties": {"a": {"type": ["integer", "null"], "minimum": 1},
                        "b": {"$ref": "#/$defs/e"}},
         "$defs": {"e": {"enum": ["x", None]}}}
    assert validate({"a": 1}, s) == []
    assert validate({"a": None, "b": None}, s) == []
    assert validate({"a": 0}, s)              # minimum
    assert validate({"a": True}, s)           # bool is not integer
    assert validate({}, s)                    # required
    assert validate({"a": 1, "c": 2}, s)      # undeclared member
    assert validate({"a": 1, "b": "y"}, s)    # enum via $ref
    assert validate(1, {"oneOf": [{"type": "integer"}, {"minimum": 0}]})
    assert validate(1, {"not": {"type": "integer"}})
    assert validate({"t": 1}, {"if": {"properties": {"t": {"const": 1}}},
                               "then": {"required": ["u"]}})
    assert validate({"t": 2}, {"if": {"properties": {"t": {"const": 1}}},
                               "then": {"required": ["u"]}}) == []
    try:
        validate(1, {"format": "x"})
    except ValueError:
        pass
    else:
        raise AssertionError("unknown keyword accepted")


_selftest()

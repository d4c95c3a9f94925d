/* SPDX-License-Identifier: MIT */
/* wrkit/yaml_input.h: YAML documents read into the JSON data model (json-c), with the
 * same limits as JSON (size, depth, UTF-8, NUL) and a bound on alias expansion.
 *
 * Scalars follow the YAML 1.2 core schema: null, ~ and empty are null; true/false are
 * booleans; decimal, 0x and 0o integers; decimal floats; everything else (and every
 * quoted scalar, and !!str) is a string. Mapping keys must be scalars and become
 * strings. A float JSON cannot hold (.inf, .nan) and anchors whose aliases would build
 * more than WR_YAML_MAX_NODES values are refused. A stream must hold one document.
 */
#ifndef WRKIT_YAML_INPUT_H
#define WRKIT_YAML_INPUT_H

#include <stdbool.h>
#include <stdio.h>
#include <stddef.h>
#include <json-c/json.h>

#include "wrkit/json_input.h"

/* Values an alias-expanded document may hold at most: a few hundred bytes of anchors
 * and aliases ("billion laughs") must not build gigabytes. */
#define WR_YAML_MAX_NODES 1000000UL

/* Parses one YAML document from buf[0..len). Returns 0 with *out a new reference (NULL
 * for null), or -1 with *err (status WR_JSON_SYNTAX for YAML errors, with a position;
 * WR_JSON_TOO_LARGE / TOO_DEEP / BAD_UTF8 / NUL_BYTE / NOMEM as for JSON). */
int wr_yaml_parse(const char *buf, size_t len, const wr_json_limits *limits,
                  json_object **out, wr_json_error *err);

/* Whether a file name ends in .yaml or .yml (any case). */
bool wr_yaml_file_name(const char *path);

/* Reads all of fp (at most limits->max_bytes) and parses it as wr_yaml_parse does. */
int wr_yaml_read(FILE *fp, const wr_json_limits *limits, json_object **out,
                 wr_json_error *err);

/* Reads the document at path: YAML when its name says so (wr_yaml_file_name), else
 * JSON, as wr_json_read_path (opening errors have status WR_JSON_IO and say why). */
int wr_document_read_path(const char *path, const wr_json_limits *limits, json_object **out,
                          wr_json_error *err);

#endif

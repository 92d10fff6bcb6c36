#!/usr/bin/env bash
# Regenerates Sources/AccordNode/SamplePolicy.swift from Config/policy.json.
# The node embeds the sample policy so that `accord init` and `accord demo` need no files;
# a test fails when the two differ.
set -euo pipefail
cd "$(dirname "$0")/.."
{
  echo '/// The sample federation policy (`Config/policy.json`), built in so that `accord init` and'
  echo '/// `accord demo` work without any file. Regenerate with `ops/embed-sample-policy.sh`.'
  echo 'public enum SamplePolicy {'
  echo '    /// The policy document, byte for byte as in `Config/policy.json`.'
  echo '    public static let text = #"""'
  cat Config/policy.json
  echo '"""#'
  echo '}'
} > Sources/AccordNode/SamplePolicy.swift

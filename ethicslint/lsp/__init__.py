"""``ethicslint lsp``: a language server over stdio (pygls), for copy checked as it is typed.

Modules, one job each: :mod:`.positions` (finding columns to LSP positions), :mod:`.diagnostics`
(findings to diagnostics), :mod:`.actions` (code actions: safe replacements, suppression comments),
:mod:`.workspace` (which Linter, which files, the config's reloads), :mod:`.corpus` (the background
pass for corpus-level findings) and :mod:`.server` (the protocol). Reference: ``docs/editors.md``.

pygls and lsprotocol come with the ``ethicslint[lsp]`` extra; nothing here is imported by a check.
"""

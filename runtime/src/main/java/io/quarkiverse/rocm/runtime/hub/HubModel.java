package io.quarkiverse.rocm.runtime.hub;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A model named by its Hugging Face repository, as {@code llama-server -hf} names it: {@code owner/repo[:quant]}, or
 * an exact file of the repository, at a revision.
 *
 * @param repo {@code owner/name}
 * @param tag the quantization asked for ({@code Q4_K_M}), empty for llama.cpp's default choice
 * @param file an exact file of the repository instead of a choice by quantization
 * @param revision a branch, a tag or a 40-hex commit
 */
public record HubModel(String repo, String tag, Optional<String> file, String revision) {

    /** llama.cpp's {@code is_valid_repo_id}: {@code [A-Za-z0-9_]} runs joined by single {@code / . -}, one {@code /}. */
    private static final Pattern REPO = Pattern.compile("[A-Za-z0-9_]+([/.-][A-Za-z0-9_]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_.-]+");
    private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}");

    /**
     * Parses {@code owner/repo[:quant]}.
     *
     * @param property the property it was read from, named in errors
     * @throws IllegalArgumentException saying what is wrong with it
     */
    public static HubModel parse(String reference, Optional<String> file, String revision, String property) {
        String value = reference.trim();
        String repo = value;
        String tag = "";
        int colon = value.indexOf(':');
        if (colon >= 0) {
            repo = value.substring(0, colon);
            tag = value.substring(colon + 1);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException(property + "=" + reference + ": '" + tag + "' is not a quantization"
                        + " tag (like Q4_K_M or Q8_0); write owner/repo:QUANT.");
            }
        }
        if (repo.length() > 256 || !REPO.matcher(repo).matches() || repo.chars().filter(c -> c == '/').count() != 1) {
            throw new IllegalArgumentException(property + "=" + reference + " is not a Hugging Face repository: write"
                    + " owner/repo or owner/repo:QUANT (for example ggml-org/gemma-3-4b-it-GGUF:Q4_K_M).");
        }
        if (file.isPresent() && !tag.isEmpty()) {
            throw new IllegalArgumentException(property + "=" + reference + " names a quantization and an exact file"
                    + " (" + file.get() + ") too: keep one of them.");
        }
        if (revision.isBlank() || revision.contains("..") || revision.startsWith("/")) {
            throw new IllegalArgumentException("'" + revision + "' is not a revision: use a branch, a tag or a commit.");
        }
        return new HubModel(repo, tag, file.filter(f -> !f.isBlank()), revision);
    }

    /** Whether the revision is a commit (no need to ask the hub which commit it is). */
    public boolean pinnedCommit() {
        return COMMIT.matcher(revision).matches();
    }

    /** {@code owner/repo:QUANT}, {@code owner/repo/file.gguf} or {@code owner/repo}, with a revision other than main. */
    @Override
    public String toString() {
        String name = file.map(f -> repo + "/" + f).orElse(tag.isEmpty() ? repo : repo + ":" + tag);
        return "main".equals(revision) ? name : name + "@" + revision;
    }
}

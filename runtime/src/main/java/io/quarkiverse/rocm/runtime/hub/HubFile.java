package io.quarkiverse.rocm.runtime.hub;

/**
 * One file of a repository at a commit, as the hub's tree lists it.
 *
 * @param path the path in the repository ({@code Q4_K_M/model-00001-of-00002.gguf})
 * @param size its size in bytes, or -1 when not known (a file listed from the cache)
 * @param oid what identifies its content: the SHA-256 of an LFS file (64 hex), or the git blob SHA-1 of another
 *        (40 hex); the cache's blob is named after it. Empty when not known.
 */
public record HubFile(String path, long size, String oid) {

    /** Whether the oid is a SHA-256 (an LFS file, as every GGUF on the hub is). */
    public boolean sha256() {
        return oid.length() == 64;
    }

    /** The file name, without folders. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }
}

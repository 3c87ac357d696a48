package io.quarkiverse.rocm.runtime.process;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Finds the llama-server binary: the configured path, then {@value #ENV_VARIABLE}, then {@code PATH}, then the
 * private installations of the project's installer (GPU flavours first).
 */
public final class BinaryLocator {

    /** The environment variable that may name the binary. */
    public static final String ENV_VARIABLE = "LLAMA_SERVER_BIN";
    public static final String PROPERTY = "quarkus.rocm.binary";
    /** Installer flavours, most capable first. */
    static final List<String> FLAVOURS = List.of("current-cpu+hip+vulkan", "current-cpu+hip", "current-cpu+vulkan",
            "current-cpu");
    private static final Pattern VERSION = Pattern.compile("version: (\\S+)(?: \\(build (\\d+)[^)]*\\))?");
    private static final Map<Path, String> VERSIONS = new ConcurrentHashMap<>();
    private static final Map<Path, Boolean> RPC = new ConcurrentHashMap<>();
    private static final Map<Path, String> HELP = new ConcurrentHashMap<>();

    /** Where the binary was found and how. */
    public record Located(Path path, String source) {
    }

    private BinaryLocator() {
    }

    /**
     * @throws LlamaServerException when no usable binary is found; the message lists where it looked and what to do
     */
    public static Located locate(Optional<Path> configured, Map<String, String> env, Path installDir) {
        List<String> searched = new ArrayList<>();
        if (configured.isPresent()) {
            Path p = configured.get();
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new LlamaServerException(PROPERTY + "=" + p + (Files.exists(p) ? " is not an executable file"
                        : " does not exist") + ". Point it at a llama-server binary, or remove it to use "
                        + ENV_VARIABLE + ", PATH or the installer's copy.");
            }
            return new Located(p, PROPERTY);
        }
        String fromEnv = env.get(ENV_VARIABLE);
        if (fromEnv != null && !fromEnv.isBlank()) {
            Path p = Path.of(fromEnv);
            if (!Files.isRegularFile(p) || !Files.isExecutable(p)) {
                throw new LlamaServerException("The environment variable " + ENV_VARIABLE + "=" + p
                        + " does not name an executable file. Fix or unset it.");
            }
            return new Located(p, ENV_VARIABLE);
        }
        searched.add(PROPERTY + " (unset)");
        searched.add(ENV_VARIABLE + " (unset)");
        String path = env.getOrDefault("PATH", "");
        for (String dir : path.split(":")) {
            if (dir.isEmpty()) {
                continue;
            }
            Path p = Path.of(dir, "llama-server");
            if (Files.isRegularFile(p) && Files.isExecutable(p)) {
                return new Located(p, "PATH");
            }
        }
        searched.add("PATH");
        for (String flavour : FLAVOURS) {
            Path p = installDir.resolve(flavour).resolve("bin/llama-server");
            if (Files.isExecutable(p)) {
                return new Located(p, "installed by install-llama-server.sh in " + installDir);
            }
        }
        searched.add(installDir.toString());
        throw new LlamaServerException("No llama-server binary found (searched " + String.join(", ", searched)
                + "). Set " + PROPERTY + " to its path, put it on PATH, or install one with the project's"
                + " install-llama-server.sh (Debian/Ubuntu: about 10 seconds, no root needed).");
    }

    /**
     * The binary's version ({@code 0.7.0 (build 11669)}), read once per path from {@code --version}.
     *
     * @throws LlamaServerException when the binary does not run
     */
    public static String version(Path binary) {
        String cached = VERSIONS.get(binary);
        if (cached != null) {
            return cached;
        }
        String out = run(binary, "--version");
        Matcher m = VERSION.matcher(out);
        String version = m.find() ? m.group(1) + (m.group(2) != null ? " (build " + m.group(2) + ")" : "")
                : out.strip().lines().findFirst().orElse("unknown");
        VERSIONS.put(binary, version);
        return version;
    }

    /**
     * Whether the binary can use llama.cpp RPC workers. Every llama-server lists {@code --rpc} in its help; one without
     * the RPC backend (built in, or installed beside it as {@code libggml-rpc}) refuses the argument with "RPC not
     * supported in this build". One with it tries to connect at once, so it is asked to use a port nothing listens on
     * and its failure to connect is the answer.
     *
     * @throws LlamaServerException when the binary does not run
     */
    public static boolean supportsRpc(Path binary) {
        return RPC.computeIfAbsent(binary,
                b -> !output(b, List.of("--rpc", "127.0.0.1:1", "--version")).contains("RPC not supported"));
    }

    /** The binary's {@code --help} (its flags: what this build can do), read once. */
    public static String help(Path binary) {
        return HELP.computeIfAbsent(binary, b -> run(b, "--help"));
    }

    /** The output of {@code binary arg}, which must exit with 0 within 60 s. */
    private static String run(Path binary, String arg) {
        Process p = start(binary, List.of(arg));
        String out = readAll(p, binary, arg);
        if (p.exitValue() != 0) {
            throw new LlamaServerException(binary + " " + arg + " failed (exit " + p.exitValue() + "): " + out.strip()
                    + ". Is it a llama-server binary for this machine?");
        }
        return out;
    }

    /** The output of {@code binary args}, whatever its exit status. */
    private static String output(Path binary, List<String> args) {
        return readAll(start(binary, args), binary, String.join(" ", args));
    }

    private static Process start(Path binary, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(binary.toString());
        command.addAll(args);
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            p.getOutputStream().close();
            return p;
        } catch (IOException e) {
            throw new LlamaServerException("Cannot run " + binary + ": " + e.getMessage(), e);
        }
    }

    private static String readAll(Process p, Path binary, String args) {
        try {
            byte[] bytes = p.getInputStream().readNBytes(256 * 1024);
            if (!p.waitFor(60, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new LlamaServerException(binary + " " + args + " did not answer within 60 s");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LlamaServerException("Cannot run " + binary + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new LlamaServerException("Interrupted while running " + binary + " " + args, e);
        }
    }
}

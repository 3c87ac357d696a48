package io.quarkiverse.rocm.runtime.hub;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.SocketTimeoutException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.BooleanSupplier;

import org.jboss.logging.Logger;

import io.quarkiverse.rocm.runtime.process.DaemonThreads;

/**
 * Brings one blob into the cache: at most one transfer of it at a time (a lock between this application's threads, a
 * file lock between processes sharing the cache), the free space checked against its size, resumed from its
 * {@code .incomplete} file with {@code Range: bytes=N-} (after a dropped connection, in the same run, or after a kill,
 * in the next), verified against the hub's hash (SHA-256 of an LFS file, git blob SHA-1 of another), and renamed
 * atomically to {@code blobs/{oid}}. Bytes that do not verify are never kept under that name.
 */
final class BlobDownload {

    private static final Logger LOG = Logger.getLogger(BlobDownload.class);
    private static final int ATTEMPTS = 3;
    private static final long FIRST_RETRY_MILLIS = 2000;
    /** A body that sends nothing for this long is given up (and resumed by the next attempt); tests shorten it. */
    static volatile long stallMillis = 30_000;
    private static final int BUFFER = 1 << 20;
    private static final Map<Path, ReentrantLock> IN_THIS_JVM = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService WATCHDOG = Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("rocm-pull-watchdog"));

    private final HubClient client;
    private final HubCache cache;
    private final String repo;
    private final String commit;
    private final HubFile file;
    private final PullProgress progress;
    private final BooleanSupplier cancelled;

    BlobDownload(HubClient client, HubCache cache, String repo, String commit, HubFile file, PullProgress progress,
            BooleanSupplier cancelled) {
        this.client = client;
        this.cache = cache;
        this.repo = repo;
        this.commit = commit;
        this.file = file;
        this.progress = progress;
        this.cancelled = cancelled;
    }

    /** The blob, downloaded unless it is there already (put there meanwhile by another process, too). */
    Path fetch() throws IOException {
        if (file.oid().isEmpty()) {
            throw new HubException("The hub lists " + file.path() + " of " + repo + " without a hash (oid): it cannot be"
                    + " verified or cached. Pick another file.");
        }
        Path blob = cache.blob(repo, file.oid());
        if (Files.isRegularFile(blob)) {
            return blob;
        }
        Path lockFile = cache.lock(repo, file.oid());
        Files.createDirectories(lockFile.getParent());
        Files.createDirectories(blob.getParent());
        ReentrantLock local = IN_THIS_JVM.computeIfAbsent(lockFile, p -> new ReentrantLock());
        lockInterruptibly(local);
        try (FileChannel lockChannel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
                FileLock lock = acquire(lockChannel)) {
            if (Files.isRegularFile(blob)) { // another process downloaded it while this one waited
                LOG.infof("%s of %s was downloaded by another process sharing %s", file.path(), repo, cache.root());
                return blob;
            }
            return download(blob);
        } finally {
            local.unlock();
        }
    }

    private void lockInterruptibly(ReentrantLock lock) {
        try {
            while (!lock.tryLock(500, TimeUnit.MILLISECONDS)) {
                progress.waiting("waiting for another pull of " + file.path() + " in this application");
                checkCancelled();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullCancelledException();
        }
    }

    /** The file lock, waiting (and saying so) while another process holds it. */
    private FileLock acquire(FileChannel channel) throws IOException {
        FileLock lock = channel.tryLock();
        if (lock == null) {
            LOG.infof("Waiting for another process to finish downloading %s of %s into %s", file.path(), repo,
                    cache.root());
        }
        while (lock == null) {
            progress.waiting("waiting for another process downloading " + file.path() + " into " + cache.root());
            checkCancelled();
            sleep(500);
            lock = channel.tryLock();
        }
        return lock;
    }

    private Path download(Path blob) throws IOException {
        Path partial = cache.incomplete(repo, file.oid());
        progress.file(file.path());
        long have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
        if (file.size() >= 0 && have > file.size()) {
            Files.delete(partial); // not a prefix of this file
            have = 0;
        }
        checkSpace(blob.getParent(), have);
        MessageDigest digest = digest(partial, have);
        progress.resumed(have);
        if (have > 0) {
            LOG.infof("Resuming %s of %s at %s of %s", file.path(), repo, PullProgress.bytes(have),
                    PullProgress.bytes(file.size()));
        }
        String announced = null;
        IOException last = null;
        long retry = FIRST_RETRY_MILLIS;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            checkCancelled();
            if (attempt > 1) {
                LOG.warnf("Downloading %s of %s failed (%s); resuming at %s in %d s (attempt %d of %d)", file.path(), repo,
                        last.getMessage(), PullProgress.bytes(have), retry / 1000, attempt, ATTEMPTS);
                sleep(retry);
                retry *= 2;
            }
            try {
                HubClient.Transfer t = client.open(repo, commit, file.path(), have, Duration.ofMillis(stallMillis));
                if (t.linkedEtag() != null) {
                    announced = t.linkedEtag();
                }
                if (have > 0 && t.status() == 200) { // the server sent the whole file again
                    progress.restarted(have);
                    have = 0;
                    digest = digest(partial, 0);
                    Files.deleteIfExists(partial);
                }
                have += copy(t, partial, digest);
                last = null;
                break;
            } catch (IOException e) {
                last = e;
            } catch (HubException e) {
                if (e.status() != 0 || e instanceof PullCancelledException) {
                    throw e; // the hub's answer, or a stop: trying again changes nothing
                }
                last = new IOException(e.getMessage(), e); // the hub could not be reached: as a dropped connection
            }
            have = Files.isRegularFile(partial) ? Files.size(partial) : 0;
            digest = digest(partial, have);
        }
        if (last != null) {
            throw new HubException("Cannot download " + file.path() + " of " + repo + " from " + client.endpoint() + " after "
                    + ATTEMPTS + " attempts: " + last.getMessage() + ". The " + PullProgress.bytes(have)
                    + " received are kept in " + partial + " and the next pull resumes from there.", last);
        }
        verify(partial, have, digest, announced);
        try (FileChannel c = FileChannel.open(partial, StandardOpenOption.WRITE)) {
            c.force(true);
        }
        HubCache.move(partial, blob);
        return blob;
    }

    /**
     * Appends the body to {@code partial}. A body that sends nothing for {@link #stallMillis} fails the read (its read
     * timeout); a stop disconnects it, which ends a blocked read at once.
     */
    private long copy(HubClient.Transfer t, Path partial, MessageDigest digest) throws IOException {
        long copied = 0;
        ScheduledFuture<?> watchdog = WATCHDOG.scheduleWithFixedDelay(() -> {
            if (cancelled.getAsBoolean()) {
                t.disconnect().run();
            }
        }, 200, 200, TimeUnit.MILLISECONDS);
        try (InputStream in = t.body();
                OutputStream out = Channels.newOutputStream(FileChannel.open(partial, StandardOpenOption.CREATE,
                        StandardOpenOption.WRITE, StandardOpenOption.APPEND))) {
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                digest.update(buffer, 0, n);
                copied += n;
                progress.received(n);
                checkCancelled();
            }
        } catch (SocketTimeoutException e) {
            throw new IOException("nothing received for " + stallMillis / 1000 + " s", e);
        } catch (IOException e) {
            checkCancelled();
            throw e;
        } finally {
            watchdog.cancel(false);
        }
        if (t.length() >= 0 && copied < t.length()) {
            throw new IOException("the connection ended after " + copied + " of " + t.length() + " bytes");
        }
        return copied;
    }

    private void verify(Path partial, long have, MessageDigest digest, String announced) throws IOException {
        if (file.size() >= 0 && have != file.size()) {
            Files.deleteIfExists(partial);
            throw new HubException("Downloaded " + have + " bytes of " + file.path() + " of " + repo + " but the hub lists "
                    + file.size() + ". The partial file was removed: pull again.");
        }
        String expected = file.oid();
        String actual = HexFormat.of().formatHex(digest.digest());
        String algorithm = expected.length() == 64 ? "sha256" : "git blob sha1";
        if (!actual.equalsIgnoreCase(expected)) {
            Files.deleteIfExists(partial);
            throw new HubException(algorithm + " mismatch for " + file.path() + " of " + repo + ": the hub announced "
                    + expected
                    + (announced != null && !announced.equalsIgnoreCase(expected) ? " (its redirect said " + announced + ")"
                            : "")
                    + ", the downloaded bytes hash to " + actual + ". They were not kept; pull again, and if it"
                    + " happens again the download is being altered on its way (a proxy?).");
        }
        if (announced != null && announced.length() == expected.length() && !announced.equalsIgnoreCase(expected)) {
            LOG.warnf("The hub's redirect for %s of %s announced %s but its tree lists %s; the bytes match the tree",
                    file.path(), repo, announced, expected);
        }
    }

    private void checkSpace(Path dir, long have) throws IOException {
        if (file.size() < 0) {
            return;
        }
        long needed = file.size() - have;
        long free = Files.getFileStore(dir).getUsableSpace();
        if (free < needed) {
            throw new HubException("Not enough disk space in " + dir + " for " + file.path() + " of " + repo + ": it needs "
                    + PullProgress.bytes(needed) + " (" + needed + " bytes), " + PullProgress.bytes(free) + " (" + free
                    + " bytes) are free. Free some space, or set quarkus.rocm.hf.cache to a larger disk.");
        }
    }

    /** A digest of the kind the oid is, fed with the first {@code have} bytes of {@code partial}. */
    private MessageDigest digest(Path partial, long have) throws IOException {
        MessageDigest d;
        try {
            if (file.oid().length() == 64) {
                d = MessageDigest.getInstance("SHA-256");
            } else {
                d = MessageDigest.getInstance("SHA-1"); // git's blob id: sha1("blob <size>\0" + content)
                d.update(("blob " + file.size() + "\0").getBytes(StandardCharsets.US_ASCII));
            }
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        if (have > 0) {
            try (InputStream in = Files.newInputStream(partial)) {
                byte[] buffer = new byte[BUFFER];
                long left = have;
                int n;
                while (left > 0 && (n = in.read(buffer, 0, (int) Math.min(buffer.length, left))) > 0) {
                    d.update(buffer, 0, n);
                    left -= n;
                }
            }
        }
        return d;
    }

    private void checkCancelled() {
        if (cancelled.getAsBoolean()) {
            throw new PullCancelledException();
        }
    }

    private void sleep(long millis) {
        try {
            long end = System.currentTimeMillis() + millis;
            while (System.currentTimeMillis() < end) {
                checkCancelled();
                Thread.sleep(Math.min(100, Math.max(1, end - System.currentTimeMillis())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new PullCancelledException();
        }
    }
}

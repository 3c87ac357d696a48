package io.quarkiverse.rocm.runtime.hub;

/** A pull was stopped (its model was stopped, or the application is stopping); what it received is kept to resume. */
public class PullCancelledException extends HubException {

    public PullCancelledException() {
        super("the pull was stopped; what it received is kept and the next pull resumes from there");
    }
}

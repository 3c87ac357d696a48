package io.quarkiverse.rocm.runtime.langchain4j;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.exception.TimeoutException;
import io.quarkiverse.rocm.runtime.client.UpstreamException;

/**
 * llama-server failures as LangChain4j's typed exceptions, so that retries and error handling work as with any
 * other provider: a request that can never succeed is non-retriable, a server that is restarting or busy is
 * retriable.
 */
final class Errors {

    private Errors() {
    }

    static LangChain4jException map(Throwable error) {
        if (error instanceof LangChain4jException l) {
            return l;
        }
        if (!(error instanceof UpstreamException u)) {
            return new InternalServerException(error.getMessage(), error);
        }
        return switch (u.kind()) {
            case UNAVAILABLE, CONNECTION_LOST -> new InternalServerException(u.getMessage(), u);
            case BUSY -> new RateLimitException(u.getMessage(), u);
            case TIMEOUT -> new TimeoutException(u.getMessage(), u);
            case HTTP -> switch (u.status()) {
                case 400, 422 -> new InvalidRequestException(u.getMessage(), u); // context exceeded, bad schema...
                case 401, 403 -> new AuthenticationException(u.getMessage(), u);
                case 404 -> new ModelNotFoundException(u.getMessage(), u);
                case 429, 503 -> new RateLimitException(u.getMessage(), u); // slots full, loading
                default -> new InternalServerException(u.getMessage(), u);
            };
        };
    }
}

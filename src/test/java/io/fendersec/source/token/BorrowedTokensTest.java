package io.fendersec.source.token;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.apache.flink.api.connector.source.SourceEvent;
import org.apache.flink.util.InstantiationUtil;
import org.junit.jupiter.api.Test;

import io.fendersec.auth.TokenResponse;
import io.fendersec.error.AccessRefusedException;
import io.fendersec.error.NetworkException;

/** The reader's side of borrowing tokens, with the enumerator played by the test. */
class BorrowedTokensTest {

    @Test
    void asksWithTheTokenItHoldsAndIgnoresAnswersToOtherRequests() throws Exception {
        BlockingQueue<TokenRequest> sent = new LinkedBlockingQueue<>();
        BorrowedTokens tokens = new BorrowedTokens(e -> sent.add((TokenRequest) e), "int-1");
        CompletableFuture<TokenResponse> first = CompletableFuture.supplyAsync(tokens::fetch);
        TokenRequest r1 = next(sent);
        assertThat(r1.held()).isNull();
        tokens.onGrant(TokenGrant.of(r1.id() + 7, new TokenResponse("other", Duration.ofSeconds(3), null)));
        tokens.onGrant(TokenGrant.of(r1.id(), new TokenResponse("tok-a", Duration.ofSeconds(3), null)));
        assertThat(first.get(10, TimeUnit.SECONDS).accessToken()).isEqualTo("tok-a");
        assertThat(first.get().expiresIn()).isEqualTo(Duration.ofSeconds(3));

        CompletableFuture<TokenResponse> second = CompletableFuture.supplyAsync(tokens::fetch);
        TokenRequest r2 = next(sent);
        assertThat(r2.held()).isEqualTo("tok-a"); // so the enumerator renews only if tok-a is still its current token
        tokens.onGrant(TokenGrant.failed(r2.id(), new AccessRefusedException("invalid_grant: run fendersec login")));
        assertThatThrownBy(second::join).hasCauseInstanceOf(AccessRefusedException.class)
                .hasMessageContaining("invalid_grant: run fendersec login");
    }

    @Test
    void asksAgainWhenNoAnswerComesAndGivesUpWithOneLine() throws Exception {
        List<TokenRequest> sent = new CopyOnWriteArrayList<>();
        BorrowedTokens tokens = new BorrowedTokens(e -> sent.add((TokenRequest) e), "int-1", Duration.ofMillis(50),
                Duration.ofMillis(400));
        assertThatThrownBy(tokens::fetch).isInstanceOf(NetworkException.class)
                .hasMessageContainingAll("enumerator", "source.auth.refresh-token-file", "int-1");
        assertThat(sent).hasSizeGreaterThanOrEqualTo(3).extracting(TokenRequest::id).containsOnly(sent.get(0).id());
    }

    @Test
    void eventsNeverShowATokenAndSurviveJavaSerialization() throws Exception {
        TokenRequest request = new TokenRequest(3, "held-secret-1");
        TokenGrant grant = TokenGrant.of(3, new TokenResponse("granted-secret-2", Duration.ofSeconds(60), null));
        assertThat(request.toString()).doesNotContain("held-secret-1");
        assertThat(grant.toString()).doesNotContain("granted-secret-2");
        TokenGrant copy = InstantiationUtil.clone(grant);
        assertThat(copy.lease().accessToken()).isEqualTo("granted-secret-2");
        assertThat(InstantiationUtil.<SourceEvent>clone(request)).isInstanceOf(TokenRequest.class);
    }

    private static TokenRequest next(BlockingQueue<TokenRequest> sent) throws InterruptedException {
        TokenRequest r = sent.poll(10, TimeUnit.SECONDS);
        assertThat(r).as("a token request was sent").isNotNull();
        return r;
    }
}

package io.keelrpc.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedisServerProcessTest {

  @Test
  void startsAnswersPingAndDiesOnClose() throws Exception {
    RedisServerProcess redis = RedisServerProcess.start();
    try {
      assertThat(redis.port()).isPositive();
      assertThat(redis.uri()).isEqualTo("redis://127.0.0.1:" + redis.port());
      assertThat(redis.command("PING")).isEqualTo("+PONG");
      assertThat(redis.command("SET k v")).isEqualTo("+OK");
    } finally {
      redis.close();
    }
    assertThat(redis.isAlive()).isFalse();
  }
}

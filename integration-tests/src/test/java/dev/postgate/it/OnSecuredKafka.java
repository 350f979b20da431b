package dev.postgate.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Tests on a broker of their own, configured as docker-compose's ({@link SecuredKafka}): started once per class. */
abstract class OnSecuredKafka {
    static SecuredKafka kafka;

    @BeforeAll
    static void startBroker() throws Exception {
        kafka = SecuredKafka.start();
    }

    @AfterAll
    static void stopBroker() {
        if (kafka != null) {
            kafka.close();
        }
    }
}

package dev.postgate.workspaces;

import static dev.postgate.common.testing.EnvelopeChecks.error;
import static dev.postgate.workspaces.Api.CALENDAR;
import static dev.postgate.workspaces.Api.WORKSPACES;
import static dev.postgate.workspaces.Api.admin;
import static dev.postgate.workspaces.Api.createWorkspace;
import static dev.postgate.common.testing.EnvelopeChecks.data;
import static dev.postgate.common.testing.EnvelopeChecks.fieldsOf;
import static dev.postgate.workspaces.Api.key;
import static dev.postgate.workspaces.Api.newKey;
import static dev.postgate.workspaces.Api.newOrg;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import dev.postgate.common.testing.KeyServiceResource;
import dev.postgate.common.testing.PostgateInfra;
import dev.postgate.common.testing.TestKeys.IssuedKey;
import dev.postgate.common.testing.TextSamples;
import io.quarkus.test.common.TestResourceScope;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;

/**
 * SPEC section 4's text rule on workspace-service: workspace and account names, credit grant
 * reasons, calendar titles and notes, in typed bodies and in partial updates read as JSON trees.
 */
@QuarkusTest
@WithTestResource(value = PostgateInfra.class, scope = TestResourceScope.GLOBAL)
@WithTestResource(value = KeyServiceResource.class, scope = TestResourceScope.GLOBAL)
class TextRuleTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static RequestSpecification json(RequestSpecification request, String body) {
        return request.contentType(ContentType.JSON).body(body);
    }

    @Test
    void aNulOrALoneSurrogateIsRefusedNamingTheField() {
        String org = newOrg();
        String ws = createWorkspace(org, "text rule");
        IssuedKey writer = newKey(org, "calendar:read", "calendar:write");
        Response entry = json(key(writer).header("X-Workspace-Id", ws), "{\"title\": \"t\", \"starts_at\": \"2026-03-02T10:00:00Z\"}")
                .post(CALENDAR);
        assertEquals(201, entry.statusCode(), entry.asString());
        String entryId = (String) data(entry).get("id");
        for (String text : TextSamples.REFUSED) {
            assertEquals(List.of("name"), fieldsOf(error(json(admin(org), "{\"name\": " + text + "}").post(WORKSPACES), 422,
                    "VALIDATION_FAILED")), text);
            assertEquals(List.of("name"), fieldsOf(error(json(admin(org), "{\"name\": " + text + "}").patch(WORKSPACES + "/" + ws),
                    422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("name"), fieldsOf(error(json(admin(org), "{\"platform\": \"x\", \"name\": " + text + "}")
                    .post(WORKSPACES + "/" + ws + "/accounts"), 422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("reason"), fieldsOf(error(json(admin(org), "{\"amount\": 5, \"reason\": " + text + "}")
                    .post(WORKSPACES + "/" + ws + "/credits/grants"), 422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("title"), fieldsOf(error(json(key(writer).header("X-Workspace-Id", ws),
                    "{\"title\": " + text + ", \"starts_at\": \"2026-03-02T10:00:00Z\"}").post(CALENDAR), 422, "VALIDATION_FAILED")), text);
            assertEquals(List.of("notes"), fieldsOf(error(json(key(writer).header("X-Workspace-Id", ws), "{\"notes\": " + text + "}")
                    .patch(CALENDAR + "/" + entryId), 422, "VALIDATION_FAILED")), text);
        }
        assertEquals(0, Api.balance(org, ws));
        assertEquals("text rule", data(admin(org).get(WORKSPACES + "/" + ws)).get("name"));
    }

    @Test
    void otherTextIsStoredAndEchoedExactly() throws JsonProcessingException {
        String org = newOrg();
        String name = JSON.writeValueAsString(TextSamples.AS_SENT);
        Response workspace = json(admin(org), "{\"name\": " + name + "}").post(WORKSPACES);
        assertEquals(201, workspace.statusCode(), workspace.asString());
        String ws = (String) data(workspace).get("id");
        assertEquals(TextSamples.AS_SENT, data(workspace).get("name"));
        assertEquals(TextSamples.AS_SENT, data(admin(org).get(WORKSPACES + "/" + ws)).get("name"));

        IssuedKey writer = newKey(org, "calendar:read", "calendar:write");
        String notes = "line one\nline two\t" + TextSamples.AS_SENT + "\u0007";
        Response entry = json(key(writer).header("X-Workspace-Id", ws), "{\"title\": " + name + ", \"notes\": "
                + JSON.writeValueAsString(notes) + ", \"starts_at\": \"2026-03-02T10:00:00Z\"}").post(CALENDAR);
        assertEquals(201, entry.statusCode(), entry.asString());
        assertEquals(TextSamples.AS_SENT, data(entry).get("title"));
        assertEquals(notes, data(entry).get("notes"));
        String id = (String) data(entry).get("id");
        assertEquals(notes, data(key(writer).header("X-Workspace-Id", ws).get(CALENDAR + "/" + id)).get("notes"));
    }
}

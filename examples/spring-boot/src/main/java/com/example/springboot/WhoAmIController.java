package com.example.springboot;

import io.github.awsdelegation.Delegation;
import io.github.awsdelegation.servlet.AwsDelegationFilter;
import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** What the filter decided for the signed-in user; the credentials themselves stay on the server. */
@RestController
class WhoAmIController {

    @GetMapping("/whoami")
    Map<String, String> whoami(HttpServletRequest request) {
        // The filter lets through only the YAML's public paths without a user: here, there is one.
        Delegation d = AwsDelegationFilter.delegation(request).orElseThrow();
        Map<String, String> answer = new LinkedHashMap<>();
        answer.put("subject", d.identity().subject());
        answer.put("connection", d.identity().connectionType().configName());
        answer.put("role", d.decision().role().roleArn());
        answer.put("rule", d.decision().ruleId());
        answer.put("assumedRole", d.credentials().assumedRoleArn());
        answer.put("expires", d.credentials().expiration().toString());
        return answer;
    }
}

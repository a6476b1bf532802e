package com.example.springboot;

import io.github.awsdelegation.servlet.AwsDelegationFilter;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;

/** A Spring Boot app whose requests go through the delegation filter, configured by the same YAML as a WAR's. */
@SpringBootApplication
public class PetShopApplication {

    public static void main(String[] args) {
        SpringApplication.run(PetShopApplication.class, args);
    }

    /**
     * The filter on every path, reading src/main/resources/aws-delegation.yaml unless the property
     * {@code aws-delegation.config} names another document ({@code file:/etc/pet-shop/aws-delegation.yaml}).
     * Spring Boot's embedded Tomcat calls the filter's init when the server starts: a mistake in the YAML stops
     * the app there, naming the key.
     */
    @Bean
    FilterRegistrationBean<AwsDelegationFilter> awsDelegationFilter(
            @Value("${aws-delegation.config:classpath:aws-delegation.yaml}") String config) {
        FilterRegistrationBean<AwsDelegationFilter> registration = new FilterRegistrationBean<>(new AwsDelegationFilter());
        registration.addInitParameter(AwsDelegationFilter.CONFIG_PARAMETER, config);
        registration.addUrlPatterns("/*");
        return registration;
    }
}

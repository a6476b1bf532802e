package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.RequiresAwsRole;
import jakarta.enterprise.context.ApplicationScoped;

/** Class-level protection (buyers and admins), and a method that narrows it to admins. */
@ApplicationScoped
@RequiresAwsRole({"pet-shop-buyer", "arn:aws:iam::123456789012:role/pet-shop-admin"})
public class OrderDesk {

    public String placeOrder(String pet) {
        return "ordered " + pet;
    }

    @RequiresAwsRole("PET-SHOP-ADMIN")
    public String refund(String order) {
        return "refunded " + order;
    }
}

package io.github.awsdelegation.cdi.it.app;

import io.github.awsdelegation.cdi.RequiresAwsRole;
import jakarta.enterprise.context.RequestScoped;

/** Method-level protection: anybody may list, only the admin role may remove. */
@RequestScoped
public class PetCatalogue {

    public String listPets() {
        return "Tom, Felix";
    }

    @RequiresAwsRole("pet-shop-admin")
    public String removePet(String name) {
        return "removed " + name;
    }
}

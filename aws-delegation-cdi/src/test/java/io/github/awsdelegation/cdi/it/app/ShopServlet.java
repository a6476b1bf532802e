package io.github.awsdelegation.cdi.it.app;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;

/** Calls the protected beans; a refusal leaves the servlet as an exception, which the filter answers. */
@WebServlet({"/shop", "/public/shop"})
public class ShopServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient PetCatalogue catalogue;

    @Inject
    transient OrderDesk orders;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        String result = switch (String.valueOf(request.getParameter("op"))) {
            case "list" -> catalogue.listPets();
            case "remove" -> catalogue.removePet("Tom");
            case "order" -> orders.placeOrder("Felix");
            case "refund" -> orders.refund("order-1");
            default -> throw new IllegalArgumentException("op must be list, remove, order or refund");
        };
        new Lines().put("result", result).write(response);
    }
}
